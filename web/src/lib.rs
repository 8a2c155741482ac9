//! # Quorumscope, the browser app
//!
//! `run()` decides what to open from the link (falling back to the default
//! lesson with a message when the link is bad) and mounts the Yew app. The
//! page's build makes a panic a trap, which `web/loader.js` reports in the
//! page (see `with_web_std` in the xtask).
//! The simulation and the canvas belong to [`driver::Driver`]; the Yew
//! components only show summaries and send commands.

pub mod app;
pub mod chrome;
pub mod diagram;
pub mod draw;
pub mod driver;
pub mod embed;
pub mod hooks;
pub mod hunt;
pub mod i18n;
pub mod import;
pub mod keys;
pub mod panels;
pub mod twin;
pub mod worker;

/// Every allocation the app makes is counted: how many a painted frame
/// makes is a bench figure (`window.quorumscope.frameAllocs()`).
#[global_allocator]
static ALLOCATOR: stats_alloc::StatsAlloc<Heap> = stats_alloc::StatsAlloc::new(heap());

/// In the page, talc (the searches and the checker allocate a state per
/// step: it serves them faster than dlmalloc, Rust's default for wasm).
#[cfg(target_arch = "wasm32")]
type Heap = talc::wasm::WasmDynamicTalc;
#[cfg(target_arch = "wasm32")]
const fn heap() -> Heap {
    talc::wasm::new_wasm_dynamic_allocator()
}
#[cfg(not(target_arch = "wasm32"))]
type Heap = std::alloc::System;
#[cfg(not(target_arch = "wasm32"))]
const fn heap() -> Heap {
    std::alloc::System
}

/// Ask the browser for memory a quarter at a time. talc grows the wasm
/// memory by just the pages the allocation at hand lacks, so a search that
/// fills hundreds of megabytes would grow it thousands of times, each a call
/// into the browser (about 5 % of a large search's time, measured). A long
/// computation calls this as it reports progress: when the memory has grown
/// since the last call (`seen` pages), a block a quarter of its size is
/// taken and given back at once, which leaves it to talc as free space at
/// the end of its heap.
#[cfg(target_arch = "wasm32")]
pub fn grow_ahead(seen: &mut usize) {
    let pages = core::arch::wasm32::memory_size(0);
    if pages > *seen {
        let mut block = Vec::<u8>::new();
        // Refused near the 4 GiB limit: talc then grows as before.
        let _ = block.try_reserve_exact(pages / 4 * 65_536);
        drop(block);
        *seen = core::arch::wasm32::memory_size(0);
    }
}
#[cfg(not(target_arch = "wasm32"))]
pub fn grow_ahead(_seen: &mut usize) {}

/// Allocations so far.
#[must_use]
pub fn allocations() -> u64 {
    ALLOCATOR.stats().allocations as u64
}

/// Offer `text` as a file download (a Blob URL on a temporary link; no
/// server involved).
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    // The URL is not revoked: some browsers read it after `click` returns,
    // and one small Blob per export is nothing to keep.
    download_url(&doc, name, &url);
}

/// Offer the file at `url` (a Blob or data URL) for download.
fn download_url(doc: &web_sys::Document, name: &str, url: &str) {
    use wasm_bindgen::JsCast;
    if let Some(a) =
        doc.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(url);
        a.set_download(name);
        a.click();
    }
}

/// Offer the canvas's current frame as a PNG file.
pub fn download_png(name: &str, canvas: &web_sys::HtmlCanvasElement) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(url) = canvas.to_data_url_with_type("image/png") {
        download_url(&doc, name, &url);
    }
}

/// The one entry point of the one module: in a page it mounts the app; in
/// the checker's Web Worker (which runs this same module, compiled once by
/// the page and handed over) it serves the worker's jobs.
pub fn run() {
    if web_sys::window().is_none() {
        worker::serve();
        return;
    }
    run_page();
}

/// A named moment of the page's start, for the bench's breakdown of the
/// time to the first frame (`qs-main`: the module runs; `qs-mounted`: the
/// driver is built; `qs-first-frame`: the run is drawn; `qs-panels`: the
/// other panels are built, after the first frame).
pub fn mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

fn run_page() {
    mark("qs-main");
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let start = app::start_from(&hash);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if let Some(root) = doc.document_element() {
            let code = if start.lang == i18n::Lang::Zh { "zh-CN" } else { "en" };
            let _ = root.set_attribute("lang", code);
        }
        if let Some(el) = doc.get_element_by_id("app") {
            yew::Renderer::<app::App>::with_root_and_props(el, start).render();
        }
    }
}
