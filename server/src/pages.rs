//! Pages a browser leaves halfway are still rendered to their end.
//!
//! Leptos tears a page's reactive owner down in order only after the page's last chunk. When
//! the response is dropped halfway instead, the views go first and the page's pending effects
//! (suspense boundaries, the language context) then run in their own tasks against disposed
//! signals and panic. So a page's remaining stream is finished in the background, bounded in
//! time, exactly as if the browser had read it.
//!
//! The same effects can also start too late on a page that is read to its end: each one
//! runs first in a task of its own, and on a busy machine the page's last chunk (after
//! which Leptos disposes the page) may come before that task's turn. So the page lets the
//! tasks waiting on its worker run before each chunk it asks for.

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
    let body = FinishedOnDrop {
        rest: Some(body.into_data_stream()),
        yielded: false,
    };
    Response::from_parts(parts, Body::from_stream(body))
}

struct FinishedOnDrop {
    rest: Option<BodyDataStream>,
    /// Whether the tasks waiting on this worker had their turn before the next chunk.
    yielded: bool,
}

impl Stream for FinishedOnDrop {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.rest.is_none() {
            return Poll::Ready(None);
        }
        if !self.yielded {
            // Back of the queue once: tasks the last chunk spawned run first.
            self.yielded = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let Some(stream) = self.rest.as_mut() else {
            return Poll::Ready(None);
        };
        let next = stream.poll_next_unpin(cx);
        match &next {
            Poll::Ready(None) => self.rest = None,
            Poll::Ready(Some(_)) => self.yielded = false,
            Poll::Pending => {}
        }
        next
    }
}

impl Drop for FinishedOnDrop {
    fn drop(&mut self) {
        let (Some(rest), Ok(runtime)) = (self.rest.take(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        runtime.spawn(async move {
            let _ = tokio::time::timeout(FINISH_WITHIN, rest.for_each(|_| async {})).await;
        });
    }
}
