//! `Routes`: an axum router under construction that also records each (method, path template) it was
//! given, so the full route table can be listed without a running app (the authorisation matrix test
//! checks that every route has a row). Each feature module builds its own with `routes()`; `lib.rs`
//! merges them.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{get, post};

use crate::AppState;

#[derive(Default)]
pub(crate) struct Routes {
    router: Router<AppState>,
    table: Vec<(&'static str, &'static str)>,
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes::default()
    }

    /// A `GET` route (axum answers `HEAD` from it too).
    pub(crate) fn get<H, T>(mut self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.table.push(("GET", path));
        self
    }

    pub(crate) fn post<H, T>(mut self, path: &'static str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.table.push(("POST", path));
        self
    }

    /// A page and the form posted back to it, at one path.
    pub(crate) fn get_post<G, TG, P, TP>(mut self, path: &'static str, g: G, p: P) -> Routes
    where
        G: Handler<TG, AppState>,
        TG: 'static,
        P: Handler<TP, AppState>,
        TP: 'static,
    {
        self.router = self.router.route(path, get(g).post(p));
        self.table.push(("GET", path));
        self.table.push(("POST", path));
        self
    }

    /// Both sets of routes; a (method, path) given twice panics, as axum does.
    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    pub(crate) fn table(&self) -> &[(&'static str, &'static str)] {
        &self.table
    }

    pub(crate) fn into_router(self) -> Router<AppState> {
        self.router
    }
}
