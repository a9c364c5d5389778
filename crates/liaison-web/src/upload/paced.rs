//! Reading a body in pieces: the CSRF token peeked from the head of a multipart body without reading
//! the rest, and the pacing that makes the multipart parser take a fast body piece by piece.

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;

/// The CSRF token of a request body found by `find` in its first `max` bytes, without reading the
/// rest: the body is handed back whole (what was read, then what was not). Every form of ours sends
/// its `_csrf` field first, so a large upload is not held in memory to check it.
pub async fn peek(
    mut body: Body,
    max: usize,
    find: impl Fn(&[u8]) -> Option<String>,
) -> (Option<String>, Body) {
    let mut head = Vec::new();
    let mut token = None;
    while head.len() < max {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    head.extend_from_slice(&data);
                }
            }
            Some(Err(_)) | None => break,
        }
        token = find(&head);
        if token.is_some() {
            break;
        }
    }
    (token, paced(Bytes::from(head), body))
}

/// `head`, then `rest`, handed on in pieces of at most `PIECE` with a pause (a `Pending` that wakes
/// at once) after each. The multipart parser reads everything that is ready before it parses, so
/// without the pauses it would take in a whole body that arrives fast (and hit the body limit before
/// parsing the text fields in front of the files); with them it parses piece by piece, holds at most
/// a piece ahead of the handler, and a limit trips where the data crosses it.
pub fn paced(head: Bytes, rest: Body) -> Body {
    Body::new(Paced {
        pending: head,
        rest,
        pause: false,
    })
}

struct Paced {
    pending: Bytes,
    rest: Body,
    pause: bool,
}

const PIECE: usize = 64 * 1024;

impl HttpBody for Paced {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if self.pause {
            self.pause = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        loop {
            if !self.pending.is_empty() {
                let n = self.pending.len().min(PIECE);
                let piece = self.pending.split_to(n);
                self.pause = true;
                return Poll::Ready(Some(Ok(Frame::data(piece))));
            }
            match Pin::new(&mut self.rest).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => self.pending = data,
                    Err(frame) => return Poll::Ready(Some(Ok(frame))),
                },
                other => return other,
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pending.is_empty() && self.rest.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let head = self.pending.len() as u64;
        let rest = self.rest.size_hint();
        let mut hint = SizeHint::new();
        hint.set_lower(rest.lower() + head);
        if let Some(u) = rest.upper() {
            hint.set_upper(u + head);
        }
        hint
    }
}
