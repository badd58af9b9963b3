//! Pages a browser leaves halfway are still rendered to their end.
//!
//! Leptos tears a page's reactive owner down in order only after the page's last chunk. When
//! the response is dropped halfway instead, the views go first and the page's pending effects
//! (suspense boundaries, the language context) then run in their own tasks against disposed
//! signals and panic. So a page's remaining stream is finished in the background, bounded in
//! time, exactly as if the browser had read it.

use axum::body::{Body, BodyDataStream, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use futures_util::{Stream, StreamExt};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// How long an abandoned page may go on rendering; a page takes milliseconds.
const FINISH_WITHIN: Duration = Duration::from_secs(30);

pub async fn finish_abandoned_pages(request: Request, next: Next) -> Response {
    if !crate::http::is_page(request.uri().path()) {
        return next.run(request).await;
    }
    let (parts, body) = next.run(request).await.into_parts();
    let body = FinishedOnDrop(Some(body.into_data_stream()));
    Response::from_parts(parts, Body::from_stream(body))
}

struct FinishedOnDrop(Option<BodyDataStream>);

impl Stream for FinishedOnDrop {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(stream) = self.0.as_mut() else {
            return Poll::Ready(None);
        };
        let next = stream.poll_next_unpin(cx);
        if let Poll::Ready(None) = next {
            self.0 = None;
        }
        next
    }
}

impl Drop for FinishedOnDrop {
    fn drop(&mut self) {
        let (Some(rest), Ok(runtime)) = (self.0.take(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        runtime.spawn(async move {
            let _ = tokio::time::timeout(FINISH_WITHIN, rest.for_each(|_| async {})).await;
        });
    }
}
