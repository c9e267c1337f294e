// Types of js/mount.js: the playground's labs in a course page (protocol v1 of js/shared/embed.js).

export declare const PROTOCOL: 1;
export type LabName = 'optimizer' | 'vanishing' | 'initialization' | 'relu' | 'dropout' | 'normalization' | 'batchnorm';
export declare const LABS: LabName[];

/** A setting as the lab's URL holds it: `lr`, `o1.lr`, `preset`, `lesson`, `hide` … (the lab's URL table). */
export type StateValue = string | number | boolean | Array<string | number> | null;
export type State = Record<string, StateValue>;

export interface FieldError { field: string; message: string }
/** A refused request: `message` is the lab's text; `errors` names each bad field of a `set`. */
export interface LabError extends Error { errors: FieldError[] }

export interface Progress {
  /** The furthest training step (or sweep step) the lab shows. */
  step?: number;
  /** The lab's progress bar, 0…1, or null when the lab has none. */
  fraction: number | null;
  /** The lab's counter text, e.g. "step 44 / 300". */
  counter: string;
  /** What the lab shows now: losses, accuracies, divergence steps, per racer or run. */
  metrics?: Record<string, unknown>;
  part?: string;
}

export interface Snapshot {
  lab: LabName;
  version: 1;
  state: State;
  /** The lab's URL query for this state (defaults omitted). */
  query: string;
  playing: boolean;
  /** Held because the lab is off-screen or in a hidden tab (it goes on when seen again). */
  suspended: boolean;
  progress: Progress;
}

export interface ExportedFile { name: string; type: string; blob: Blob }

export interface Events {
  ready: { lab: LabName; version: 1; state: State; query: string };
  state: { state: State; query: string };
  progress: Progress;
  finished: { summary: Record<string, unknown>; state: State; query: string };
  resize: { height: number };
  error: { message: string };
}

export interface Lab {
  readonly iframe: HTMLIFrameElement;
  readonly lab: LabName | null;
  get(): Promise<Snapshot & { ok: true }>;
  /** All or nothing: rejects with a LabError naming each bad field, and nothing changes. */
  set(state: State): Promise<{ ok: true; state?: State; query?: string; reloading?: boolean }>;
  play(): Promise<{ ok: true }>;
  pause(): Promise<{ ok: true }>;
  reset(): Promise<{ ok: true }>;
  /** n from 1 to 1000 presses of the lab's → key. */
  step(n?: number): Promise<{ ok: true; progress: Progress }>;
  /** 'png' | 'csv' | 'json' | 'py' (batchnorm also 'py-plain'). */
  export(what: string): Promise<ExportedFile>;
  on<K extends keyof Events>(type: K, f: (event: Events[K] & { optplay: 1; type: K }) => void): () => void;
  /** Stop listening; a mounted lab's iframe is removed. */
  destroy(): void;
}

export interface ConnectOptions {
  /** The lab's origin (default: that of the iframe's src). */
  origin?: string;
  /** Milliseconds from the iframe first coming into view until the lab must be ready (default 60000). */
  timeoutMs?: number;
  /** Follow the lab's `resize` events with the iframe's height (default true). */
  autoHeight?: boolean;
}

export interface MountOptions extends ConnectOptions {
  lab: LabName;
  /** The lab's URL settings, e.g. {lesson: 'valley'} or {preset: 'ravine', 'o1.lr': 0.05}. */
  state?: State;
  /** Figures and transport only (default true). */
  embed?: boolean;
  /** The playground's URL (default: next to mount.js). */
  base?: string | URL;
  title?: string;
  /** The iframe's first height in px before the lab reports its own (default 480). */
  height?: number;
}

export declare function connect(iframe: HTMLIFrameElement, opts?: ConnectOptions): Promise<Lab>;
export declare function mount(element: Element, opts: MountOptions): Promise<Lab>;
