//! What the tracking page shows of one item: the citizen's own words (numbers masked, as on every
//! public page) and photos, where it went, which unit handles it (units, never people), the answer,
//! and after a 不满意 the earlier answer with the item's new state.

use liaison_domain::opinion::{Stage, show_receipt};
use liaison_store::Visible;
use liaison_store::opinion::Opinion;

use crate::layout::local_time;
use crate::{AppState, WebError};

pub struct Tracked {
    pub receipt: String,
    pub category: String,
    pub submitted: String,
    pub stage: &'static str,
    pub to: String,
    /// The citizen's description, numbers and name masked.
    pub description: String,
    /// Ids of the item's photos the public may see (served by `/t/photos/{id}`).
    pub photos: Vec<i64>,
    /// The handling units, lead first: "name（主办）".
    pub units: Vec<String>,
    pub answer: String,
    /// After 不满意 while the item is handled again: what was answered last time.
    pub earlier_answer: String,
    /// The public attachments of the answer shown (答复附件): (id, name, is a photo), served by
    /// `/t/files/{id}`.
    pub attachments: Vec<(i64, String, bool)>,
    /// After 不满意 while the item is handled again: what is happening now.
    pub reopened: Option<&'static str>,
    pub can_rate: bool,
    pub rating: &'static str,
    pub steps: Vec<(String, &'static str, &'static str)>,
}

/// What the citizen of an item merged into another reads until the survivor is published: the
/// survivor's answer went to another citizen and is not theirs to read.
const FOLLOWER_LINE: &str = "您反映的问题已与相同问题合并办理，办理结果公示后可在此查看。";

/// The state line after 不满意, by where the item went back to.
fn reopened_line(stage: Stage) -> &'static str {
    match stage {
        Stage::Assigned => "您对上次答复不满意，已重新交办",
        _ => "您对上次答复不满意，已退回重新办理",
    }
}

/// What of the answer the page shows: (the answer now, the earlier answer after 不满意). A reply's
/// public attachments are shown exactly when one of the two is.
fn answer_shown(o: &Opinion) -> (bool, bool) {
    let stage = o.stage();
    let follower = o.merged_into.is_some();
    // handled again after 不满意 and not answered yet: the old answer stays, marked as the last one
    let again = !follower
        && o.reopen_count > 0
        && matches!(
            stage,
            Stage::Submitted | Stage::Referred | Stage::Accepted | Stage::Assigned
        );
    let answer_visible = matches!(
        stage,
        Stage::Replied | Stage::Answered | Stage::Closed | Stage::Published | Stage::Declined
    ) || !o.answer.is_empty() && stage != Stage::Assigned;
    (answer_visible, again)
}

/// The reply attachments the citizen of `o` may open: the public ones of the answer the page shows.
pub async fn citizen_attachments(
    state: &AppState,
    o: &Visible<Opinion>,
) -> Result<Vec<liaison_store::opinion::attachment::Attachment>, WebError> {
    let (answer_visible, again) = answer_shown(o);
    let shown = o.merged_into.is_none() && (again || answer_visible);
    Ok(state.store.citizen_attachments(o, shown).await?)
}

pub async fn tracked(state: &AppState, o: &Visible<Opinion>) -> Result<Tracked, WebError> {
    let events = state.store.opinion_events(o).await?;
    let redactor = state.store.public_redactor(o).await?;
    let photos = state
        .store
        .opinion_photos(o)
        .await?
        .into_iter()
        .filter(|p| !p.hidden)
        .map(|p| p.id)
        .collect();
    let units = state
        .store
        .opinion_units(o)
        .await?
        .into_iter()
        .map(|(_, name, lead)| format!("{name}（{}）", if lead { "主办" } else { "协办" }))
        .collect();
    let stage = o.stage();
    let follower = o.merged_into.is_some();
    let (answer_visible, again) = answer_shown(o);
    let attachments = citizen_attachments(state, o)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name.clone(), a.is_photo()))
        .collect();
    // a follower's `answer` is the survivor's published text, masked (`Store::track`), or nothing yet
    let answer = match (follower, again, answer_visible) {
        (true, _, _) if o.answer.is_empty() => FOLLOWER_LINE.to_owned(),
        (true, _, _) => o.answer.clone(),
        (false, true, _) | (false, false, false) => String::new(),
        (false, false, true) => o.answer.clone(),
    };
    Ok(Tracked {
        receipt: show_receipt(&o.receipt),
        category: o.category_label.clone(),
        submitted: local_time(&o.submitted_at),
        stage: if follower {
            stage.follower_label()
        } else {
            stage.public_label()
        },
        to: o
            .deputy_name
            .as_ref()
            .map(|n| format!("{n}代表"))
            .or_else(|| o.station_name.clone())
            .unwrap_or_default(),
        description: redactor.text(&o.description),
        photos,
        units,
        answer,
        earlier_answer: if again { o.answer.clone() } else { String::new() },
        attachments,
        reopened: again.then(|| reopened_line(stage)),
        // the survivor's citizen rates a merged item's answer
        can_rate: !follower && matches!(stage, Stage::Replied | Stage::Answered),
        rating: o.satisfaction_label(),
        steps: events
            .iter()
            .map(|e| (local_time(&e.at), e.action_label(), e.public_stage_label()))
            .collect(),
    })
}
