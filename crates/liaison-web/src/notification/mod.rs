//! Notices to people: the signed-in person's inbox (消息) and the SMS sent to citizens through the
//! gateway.

mod inbox;
pub mod sms;

use crate::routes::Routes;

pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/inbox", inbox::list)
        .post("/inbox/read-all", inbox::read_all)
        .get("/inbox/{id}", inbox::open)
}
