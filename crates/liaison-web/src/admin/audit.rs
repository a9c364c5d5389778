//! 审计日志: the audit administrator's view, with filters, keyset paging and a chain check.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::NaiveDate;
use liaison_domain::Permission;
use liaison_store::audit::{AuditFilter, AuditRow};
use liaison_store::page::{self, Key, Paged};
use serde::Deserialize;

use crate::ctx::Staff;
use crate::extract::Query;
use crate::layout::Page;
use crate::{AppState, WebError};

const PAGE_SIZE: i64 = 100;

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    page: Page,
    rows: Vec<AuditRow>,
    actions: Vec<String>,
    q: AuditQuery,
    next_before: Option<i64>,
    chain: Option<Result<i64, String>>,
    error: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// The `seq` of the last entry shown (a malformed one is the first page).
    #[serde(default)]
    pub before: String,
    #[serde(default)]
    pub verify: String,
}

impl AuditQuery {
    /// The filter, or a Chinese message naming the bad field.
    pub fn filter(&self) -> Result<AuditFilter, String> {
        let date = |s: &str, label: &str| -> Result<Option<NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{label}应为 年-月-日 格式，如 2026-11-22"))
        };
        // dates are Beijing dates; the log's times are UTC RFC 3339 text, compared as text
        let utc = |d: NaiveDate| {
            liaison_domain::time::day_start(d)
                .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
                .unwrap_or_default()
        };
        let from = date(&self.from, "开始日期")?;
        let to = date(&self.to, "结束日期")?;
        Ok(AuditFilter {
            action: (!self.action.trim().is_empty()).then(|| self.action.trim().to_owned()),
            actor: (!self.actor.trim().is_empty()).then(|| self.actor.trim().to_owned()),
            since: from.map(utc),
            until: to.and_then(|d| d.succ_opt()).map(utc),
            before: Key::parse(&self.before),
        })
    }

    pub fn link_before(&self, before: &i64) -> String {
        let enc = crate::error::urlencode;
        format!(
            "/admin/audit?action={}&actor={}&from={}&to={}&before={before}",
            enc(&self.action),
            enc(&self.actor),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Result<AuditPage, WebError> {
    staff.require(Permission::ReadAudit)?;
    let (rows, error) = match q.filter() {
        Ok(f) => (
            state
                .store
                .audit_list(&staff.scope, &f, page::fetch(PAGE_SIZE))
                .await?,
            None,
        ),
        Err(e) => (vec![], Some(e)),
    };
    let Paged {
        rows,
        next: next_before,
    } = Paged::cut(rows, PAGE_SIZE, |r: &AuditRow| r.seq);
    let chain = if q.verify == "1" {
        Some(state.store.audit_verify().await?.map_err(|b| b.to_string()))
    } else {
        None
    };
    Ok(AuditPage {
        page: Page::new(&staff.ctx, "审计日志", "/admin/audit"),
        actions: state.store.audit_actions(&staff.scope).await?,
        rows,
        q,
        next_before,
        chain,
        error,
    })
}

/// Chinese names of the actions, for the table.
pub fn action_label(a: &str) -> &str {
    match a {
        "bootstrap" => "系统初始化",
        "login.success" => "登录成功",
        "login.failure" => "登录失败",
        "logout" => "退出登录",
        "account.locked" => "账号被锁定",
        "account.create" => "创建账号",
        "account.update" => "修改账号",
        "account.disable" => "停用账号",
        "account.enable" => "启用账号",
        "account.unlock" => "解除锁定",
        "account.reset_password" => "重置密码",
        "account.change_password" => "修改本人密码",
        "session.end_all" => "强制下线",
        "security.policy" => "修改安全策略",
        "calendar.save" => "保存放假安排",
        "seed.demo" => "载入演示数据",
        "deadline_rule.save" => "修改办理期限",
        "sms.retry" => "重新发送短信",
        "personal.read" => "查看个人信息",
        "personal.export" => "导出个人信息",
        "opinion.submit" => "群众提交意见",
        "opinion.record" => "代为登记意见",
        "opinion.rate" => "群众评价",
        "opinion.photo_visibility" => "照片公开设置",
        "opinion.supervise" => "发出督办单",
        "opinion.supervise_ack" => "签收督办单",
        "opinion.key_supervision" => "重点督办",
        "opinion.note" => "内部备注",
        "opinion.deputy_answer" => "代表直接答复",
        "opinion.hand_over" => "转交站点登记",
        "opinion.accept" => "登记受理",
        "opinion.decline" => "不予受理",
        "opinion.answer_on_spot" => "当场答复",
        "opinion.escalate" => "上报县级",
        "opinion.assign" => "交办",
        "opinion.reply" => "承办答复",
        "opinion.return" => "退回交办",
        "opinion.feedback" => "反馈群众",
        "opinion.publish" => "公示",
        "opinion.merge" => "合并重复事项",
        other => other,
    }
}
