//! Export links that show progress. Without JavaScript they are plain download links; with
//! it, the file is fetched as a stream, the rows (CSV) or megabytes (XLSX) received so far
//! are shown, and the finished file is handed to the browser as a download.

use crate::i18n::{t_string, use_i18n};
use crate::locale::{from_locale, is_singular};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How far the export has come: rows for CSV, bytes for XLSX.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Progress {
    Rows(u64),
    Bytes(u64),
    Done(u64),
    Failed,
}

async fn download(
    url: String,
    file_name: String,
    csv: bool,
    progress: RwSignal<Option<Progress>>,
) -> Result<(), wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err(format!("status {}", response.status()).into());
    }
    let content_type = response.headers().get("content-type")?.unwrap_or_default();
    let body = response.body().ok_or("no body")?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().dyn_into()?;
    let parts = js_sys::Array::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    loop {
        let result = JsFuture::from(reader.read()).await?;
        if js_sys::Reflect::get(&result, &"done".into())?
            .as_bool()
            .unwrap_or(true)
        {
            break;
        }
        let chunk: js_sys::Uint8Array =
            js_sys::Reflect::get(&result, &"value".into())?.dyn_into()?;
        bytes += u64::from(chunk.length());
        if csv {
            rows += chunk.to_vec().iter().filter(|b| **b == b'\n').count() as u64;
        }
        progress.set(Some(if csv {
            Progress::Rows(rows.saturating_sub(1))
        } else {
            Progress::Bytes(bytes)
        }));
        parts.push(&chunk);
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let href = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = window.document().ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&href);
    anchor.set_download(&file_name);
    anchor.click();
    web_sys::Url::revoke_object_url(&href)?;
    progress.set(Some(Progress::Done(if csv {
        rows.saturating_sub(1)
    } else {
        bytes
    })));
    Ok(())
}

/// A download link for `href` (an export URL) with a live progress line.
#[component]
pub fn ExportLink(
    #[prop(into)] href: Signal<String>,
    /// The file name the download gets.
    #[prop(into)]
    file_name: Signal<String>,
    csv: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let progress = RwSignal::new(None::<Progress>);
    let on_click = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if matches!(
            progress.get_untracked(),
            Some(Progress::Rows(_) | Progress::Bytes(_))
        ) {
            return;
        }
        progress.set(Some(if csv {
            Progress::Rows(0)
        } else {
            Progress::Bytes(0)
        }));
        let (url, name) = (href.get_untracked(), file_name.get_untracked());
        leptos::task::spawn_local(async move {
            if download(url, name, csv, progress).await.is_err() {
                progress.set(Some(Progress::Failed));
            }
        });
    };
    let megabytes = |bytes: u64| format!("{:.1}", bytes as f64 / 1_048_576.0);
    let singular = move |rows: u64| is_singular(from_locale(i18n.get_locale()), rows);
    view! {
        <a class="menu__item" href=href download=file_name on:click=on_click>{children()}</a>
        {move || progress.get().map(|p| {
            let text = match p {
                Progress::Rows(n) if singular(n) => t_string!(i18n, views.exporting_singular, count = n).to_string(),
                Progress::Rows(n) => t_string!(i18n, views.exporting, count = n).to_string(),
                Progress::Bytes(n) => t_string!(i18n, views.exporting_size, size = megabytes(n)).to_string(),
                Progress::Done(n) if csv && singular(n) => t_string!(i18n, views.exported_singular, count = n).to_string(),
                Progress::Done(n) if csv => t_string!(i18n, views.exported, count = n).to_string(),
                Progress::Done(n) => t_string!(i18n, views.exported_size, size = megabytes(n)).to_string(),
                Progress::Failed => t_string!(i18n, errors.network).to_string(),
            };
            view! { <p class="export-progress" role="status">{text}</p> }
        })}
    }
}
