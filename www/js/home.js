// The lab list page: only the theme toggle.
import { initTheme } from './shared/shell.js';

initTheme(new URLSearchParams(location.search).get('theme'));
