// Written by xtask (xtask/src/split_loader.rs). A module is named by its stem; its file is
// the stem and the build's suffix. Each lazy function has its bundles: its own, and the shared
// ones holding what it needs in common with other large functions (xtask/src/bundle_plan.rs).
// Each lazy function's own bundle, then the shared ones it needs by their number in __SHARED.
const __BUNDLES = __BUNDLES__;
const __SHARED = __SHARED__;
// Which shared bundle holds each chunk, from the chunk numbered first on: its number in
// __SHARED in base 36, or "." for none.
const __HELD = __HELD__;
const __SUFFIX = __SUFFIX__;
// What each instantiation goes through (a debug build's check that a module is of this build).
const __WRAP = __WRAP__;
// Past this many modules to fetch, one bundle beats a request each. Under the service worker,
// which keeps the bundles, the bundle always.
const __BUNDLE_FROM = 4;
// The modules asked for while a lazy function starts to load, each with its promise's settler.
let __batch = null;
const __modules = new Map();

function __fetchModule(module) {
  return fetch(new URL(`./${module}${__SUFFIX}.wasm`, import.meta.url));
}

function __part(module) {
  if (__batch === null) return __fetchModule(module);
  const batch = __batch;
  return new Promise((resolve) => batch.push({ module, resolve }));
}

// What `__part` gave, a response or a module a bundle compiled, instantiated.
function __instantiate(module) {
  const src = __part(module);
  return async (imports) => {
    const got = await src;
    if (got instanceof WebAssembly.Module) {
      const instance = __WRAP(WebAssembly.instantiate(got, imports));
      return { module: got, instance: await instance };
    }
    return __WRAP(WebAssembly.instantiateStreaming(got, imports));
  };
}

// A chunk: a module that needs no other, loaded once whoever asks.
function __chunk(number) {
  const module = `chunk_${number}`;
  let load = __modules.get(module);
  if (load === undefined) {
    load = makeLoad(() => __instantiate(module), []);
    __modules.set(module, load);
  }
  return load;
}

function __numbers(runs) {
  const numbers = [];
  for (const run of runs ? runs.split(",") : []) {
    const [from, to = from] = run.split("-").map(Number);
    for (let n = from; n <= to; n++) numbers.push(n);
  }
  return numbers;
}

// A lazy function's entry point: its own module after the chunks it needs (`19-21,23`).
function __entry(key, chunks) {
  const deps = __numbers(chunks).map(__chunk);
  return __bundledCb(key, makeLoad(() => __instantiate(`split_${key}`), deps));
}

// The modules its loading asks for (those not loaded yet; the loader asks for all of them at
// once) come from its bundles: a shared chunk from the shared bundle it names, if it names
// it, and every other module from its own.
function __bundledCb(key, load) {
  return wrapAsyncCb(() => {
    const outer = __batch;
    const batch = [];
    __batch = batch;
    let loading;
    try {
      loading = load();
    } finally {
      __batch = outer;
    }
    const [own, ...shared] = __BUNDLES[key] ?? [];
    const byFile = new Map();
    for (const part of batch) {
      const held = part.module.startsWith("chunk_")
        ? __HELD[1][Number(part.module.slice(6)) - __HELD[0]]
        : undefined;
      const holder = held === undefined ? -1 : parseInt(held, 36);
      const file = shared.includes(holder) ? __SHARED[holder] : own;
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file).push(part);
    }
    for (const [file, parts] of byFile) __settle(file, parts);
    return loading;
  });
}

function __settle(file, batch) {
  if (batch.length === 0) return;
  const kept = typeof navigator !== "undefined" && navigator.serviceWorker?.controller;
  if (!file || (batch.length < __BUNDLE_FROM && !kept && !__opened.has(file))) {
    for (const part of batch) part.resolve(__fetchModule(part.module));
    return;
  }
  const opened = __open(file);
  for (const part of batch) {
    part.resolve(
      opened.then((found) => __compile(found.get(part.module)) ?? __fetchModule(part.module)),
    );
  }
}

// Each bundle once: its modules by stem, each with its bytes and, once asked, its compilation.
const __opened = new Map();

function __open(file) {
  let opened = __opened.get(file);
  if (opened === undefined) {
    opened = fetch(new URL(`./${file}`, import.meta.url)).then(async (response) => {
      if (!response.ok) throw new Error(`${file}: ${response.status}`);
      const bytes = await response.arrayBuffer();
      const length = new DataView(bytes).getUint32(0, true);
      const index = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 4, length)));
      const found = new Map();
      let at = 4 + length;
      for (const [name, size] of index) {
        found.set(name, { bytes: new Uint8Array(bytes, at, size), compiled: null });
        at += size;
      }
      return found;
    });
    opened.catch(() => __opened.delete(file));
    __opened.set(file, opened);
  }
  return opened;
}

function __compile(entry) {
  if (entry === undefined) return undefined;
  entry.compiled ??= WebAssembly.compile(entry.bytes);
  return entry.compiled;
}

// The bundles a page's head names (app/src/pages/preload.rs) are fetched and compiled while
// the main module still downloads, so that taking the page over only instantiates them.
if (typeof document !== "undefined") {
  for (const link of document.querySelectorAll('link[rel="preload"][href$=".bundle"]')) {
    const file = link.getAttribute("href").split("/").pop();
    __open(file).then((found) => found.forEach(__compile), () => {});
  }
}
