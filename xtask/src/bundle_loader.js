// The bundle of each lazy function: every module it needs, in one file (xtask/src/bundle.rs).
const __BUNDLES = __BUNDLES__;
// Past this many modules to fetch, one bundle beats a request each. Under the service worker,
// which keeps the bundles, the bundle always.
const __BUNDLE_FROM = 4;
// The modules asked for while a lazy function starts to load, each with its promise's settler.
let __batch = null;

function __fetchModule(module) {
  return fetch(new URL(`./${module}.wasm`, import.meta.url));
}

function __part(module) {
  if (__batch === null) return __fetchModule(module);
  const batch = __batch;
  return new Promise((resolve) => batch.push({ module, resolve }));
}

// A lazy function's entry point: the modules its loading asks for (those not loaded yet; the
// loader asks for all of them at once) come from its bundle.
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
    __settle(__BUNDLES[key], batch);
    return loading;
  });
}

function __settle(file, batch) {
  if (batch.length === 0) return;
  const kept = typeof navigator !== "undefined" && navigator.serviceWorker?.controller;
  if (!file || (batch.length < __BUNDLE_FROM && !kept)) {
    for (const part of batch) part.resolve(__fetchModule(part.module));
    return;
  }
  const modules = fetch(new URL(`./${file}`, import.meta.url)).then(async (response) => {
    if (!response.ok) throw new Error(`${file}: ${response.status}`);
    const bytes = await response.arrayBuffer();
    const length = new DataView(bytes).getUint32(0, true);
    const index = JSON.parse(new TextDecoder().decode(new Uint8Array(bytes, 4, length)));
    const found = new Map();
    let at = 4 + length;
    for (const [name, size] of index) {
      found.set(name, bytes.slice(at, at + size));
      at += size;
    }
    return found;
  });
  for (const part of batch) {
    part.resolve(
      modules.then((found) => {
        const bytes = found.get(part.module);
        if (bytes === undefined) return __fetchModule(part.module);
        return new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
      }),
    );
  }
}

