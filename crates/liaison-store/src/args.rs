//! The bound values of a statement built at run time (a list's filters become conditions with numbered
//! arguments): [`Arg`] and `bind_args!`, which binds them in order. Shared by every feature's lists
//! (the opinion queue, suggestions, review opinions).

use chrono::{DateTime, Utc};

/// A bound value of a built statement.
pub(crate) enum Arg {
    I(i64),
    S(String),
    T(DateTime<Utc>),
}

/// Binds a built statement's arguments (`&[Arg]`) in order.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::args::Arg::I(v) => q.bind(*v),
                $crate::args::Arg::S(v) => q.bind(v.clone()),
                $crate::args::Arg::T(v) => q.bind(*v),
            };
        }
        q
    }};
}
