// The designer's store: zustand slices composed into one store. Components read it through selectors.
import { createStore, useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createGraphSlice } from './graph-slice';
import type { CatalogSlice, DesignerState, ProjectSlice, UiSlice } from './types';
import { toastLifetime, withToast } from './toast-policy';

function initialTheme(): 'light' | 'dark' {
  if (typeof window === 'undefined') return 'light';
  const saved = window.localStorage?.getItem('designer-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let toastId = 0;

export const createDesignerStore = () =>
  createStore<DesignerState>()((set, get, store) => {
    const project: ProjectSlice = {
      project: null,
      saveState: 'saved',
      savedChangeCount: 0,
      savedViewChangeCount: 0,
      saveError: null,
      conflictVersion: null,
      workspace: null,
      projects: null,
      setProject: (p) =>
        set((s) => ({
          project: p,
          saveState: 'saved',
          saveError: null,
          conflictVersion: null,
          savedChangeCount: get().changeCount,
          savedViewChangeCount: get().viewChangeCount,
          // The same project saved by the server (a restore, an inserted snippet) keeps its workspace state.
          ...(p?.id !== s.project?.id
            ? {
                workspace: null,
                preview: { status: 'idle' as const, assets: [], problems: [] },
                formProblems: {},
                importProblems: [],
                runs: { history: [], selected: null, loading: false },
              }
            : {}),
        })),
      setSaveState: (saveState, extra = {}) =>
        set((s) => ({
          saveState,
          saveError: extra.error ?? null,
          conflictVersion: extra.conflictVersion ?? null,
          ...(extra.savedChangeCount !== undefined ? { savedChangeCount: extra.savedChangeCount } : {}),
          ...(extra.savedViewChangeCount !== undefined
            ? { savedViewChangeCount: extra.savedViewChangeCount }
            : {}),
          ...(extra.version !== undefined && s.project
            ? { project: { ...s.project, version: extra.version } }
            : {}),
        })),
      setWorkspace: (workspace) => set({ workspace }),
      setProjects: (projects) => set({ projects }),
      renameProjectLocal: (name, version) =>
        set((s) => (s.project ? { project: { ...s.project, name, version } } : {})),
      setGitSettings: (remote, branch) =>
        set((s) => {
          if (!s.project || (s.project.git_repo === remote && s.project.git_branch === branch)) return {};
          return {
            project: { ...s.project, git_repo: remote, git_branch: branch },
            changeCount: s.changeCount + 1,
          };
        }),
      addEnvRefs: (names) =>
        set((s) => {
          if (!s.project) return {};
          const known = new Set((s.project.env ?? []).map((e) => e.name));
          const added = names.filter((n) => !known.has(n)).map((name) => ({ name, required: true }));
          if (added.length === 0) return {};
          return {
            project: { ...s.project, env: [...(s.project.env ?? []), ...added] },
            changeCount: s.changeCount + 1,
          };
        }),
      declareEnv: (name, patch) =>
        set((s) => {
          if (!s.project) return {};
          const env = s.project.env ?? [];
          const current = env.find((e) => e.name === name) ?? { name, required: true };
          const next = { ...current, ...patch };
          if (next.description === '') delete next.description;
          if (JSON.stringify(next) === JSON.stringify(current) && env.includes(current)) return {};
          return {
            project: {
              ...s.project,
              env: env.some((e) => e.name === name)
                ? env.map((e) => (e.name === name ? next : e))
                : [...env, next],
            },
            changeCount: s.changeCount + 1,
          };
        }),
    };
    const ui: UiSlice = {
      theme: initialTheme(),
      drawerTab: 'problems',
      drawerOpen: false,
      dialog: null,
      toasts: [],
      paletteQuery: '',
      focusField: null,
      openFile: null,
      setOpenFile: (openFile) =>
        set(openFile === null ? { openFile } : { openFile, drawerTab: 'files', drawerOpen: true }),
      setTheme: (theme) => {
        window.localStorage?.setItem('designer-theme', theme);
        set({ theme });
      },
      setDrawer: (drawerTab, open = true) => set({ drawerTab, drawerOpen: open }),
      toggleDrawer: () => set((s) => ({ drawerOpen: !s.drawerOpen })),
      setDialog: (dialog) => set({ dialog }),
      toast: (kind, message, hint) => {
        toastId += 1;
        const id = toastId;
        set((s) => ({ toasts: withToast(s.toasts, { id, kind, message, hint }) }));
        const lifetime = toastLifetime(kind, hint);
        if (lifetime !== null) setTimeout(() => get().dismissToast(id), lifetime);
      },
      dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
      clearToasts: () => set({ toasts: [] }),
      setPaletteQuery: (paletteQuery) => set({ paletteQuery }),
      setFocusField: (focusField) => set({ focusField }),
      exportProgress: null,
      setExportProgress: (exportProgress) => set({ exportProgress }),
    };
    const catalog: CatalogSlice = {
      runs: { history: [], selected: null, loading: false },
      setRuns: (runs) => set((s) => ({ runs: { ...s.runs, ...runs } })),
      preview: { status: 'idle', assets: [], problems: [] },
      setPreview: (preview) => set((s) => ({ preview: { ...s.preview, ...preview } })),
      catalog: null,
      catalogError: null,
      schemas: {},
      formProblems: {},
      setCatalog: (c, error = null) => set({ catalog: c, catalogError: error }),
      setSchema: (type, schema) => set((s) => ({ schemas: { ...s.schemas, [type]: schema } })),
      importProblems: [],
      setImportProblems: (importProblems) => set({ importProblems }),
      setFormProblems: (nodeId, problems) =>
        set((s) => {
          const current = s.formProblems[nodeId];
          if (current !== undefined && current.length === 0 && problems.length === 0) return {};
          return { formProblems: { ...s.formProblems, [nodeId]: problems } };
        }),
    };
    return { ...createGraphSlice(set, get, store), ...project, ...ui, ...catalog };
  });

export const designerStore = createDesignerStore();

export function useDesigner<T>(selector: (state: DesignerState) => T): T {
  return useStore(designerStore, selector);
}

export function useDesignerShallow<T>(selector: (state: DesignerState) => T): T {
  return useStore(designerStore, useShallow(selector));
}

export type { DesignerState } from './types';
