//! What every page's frame needs: title, the signed-in person, navigation by permission, CSRF token,
//! text size.

use liaison_domain::Permission;

use crate::RequestCtx;

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
    /// A count shown beside the label (unread notices); 0: none.
    pub badge: i64,
}

impl NavItem {
    /// The badge as shown: "99+" once the count reaches its cap.
    pub fn badge_text(&self) -> String {
        unread_text(self.badge)
    }
}

/// An unread count as shown: counts stop at the store's cap and read "99+" there.
pub fn unread_text(n: i64) -> String {
    let cap = liaison_store::notification::UNREAD_CAP;
    if n >= cap {
        format!("{}+", cap - 1)
    } else {
        n.to_string()
    }
}

pub struct Page {
    pub title: String,
    pub csrf: String,
    pub large_text: bool,
    /// Display name and role labels of the signed-in person.
    pub user: Option<(String, String)>,
    pub nav: Vec<NavItem>,
    /// A one-line notice after a redirect (`?done=…`).
    pub notice: Option<&'static str>,
}

/// Who sees a menu item: exactly who may open the page it leads to (a menu never leads to a 403).
type Shows = fn(&liaison_domain::Scope) -> bool;

const NAV: &[(&str, &str, Shows)] = &[
    ("/", "工作台", |_| true),
    ("/inbox", "消息", |s| s.can(Permission::ViewWorkbench)),
    (
        "/opinions",
        "群众意见",
        liaison_domain::opinion::access::has_queue,
    ),
    (
        "/suggestions",
        "代表建议",
        liaison_domain::suggestion::access::has_suggestions,
    ),
    ("/projects", "民生实事", liaison_store::project::has_projects),
    (
        "/reviews",
        "审议意见",
        liaison_domain::review::access::has_reviews,
    ),
    ("/stations", "站点", |s| s.can(Permission::ViewRegistry)),
    ("/deputies", "代表", |s| s.can(Permission::ViewRegistry)),
    ("/units", "承办单位", |s| s.can(Permission::ViewRegistry)),
    ("/regions", "行政区划", |s| s.can(Permission::ViewWorkbench)),
    ("/admin/accounts", "账号管理", |s| {
        s.can(Permission::ManageAccounts)
    }),
    ("/admin/accounts", "账号与锁定", |s| {
        s.can(Permission::ManageSecurity)
    }),
    ("/admin/security", "安全策略", |s| {
        s.can(Permission::ManageSecurity)
    }),
    ("/admin/audit", "审计日志", |s| s.can(Permission::ReadAudit)),
    ("/admin/calendar", "工作日历", |s| {
        s.can(Permission::ManageCalendar)
    }),
    ("/admin/deadlines", "办理期限", |s| {
        s.can(Permission::ManageCalendar)
    }),
    ("/admin/sms", "短信发送", |s| s.can(Permission::ManageSms)),
    ("/admin/requests", "待确认申请", |s| {
        s.can(Permission::ConfirmAccountRequests)
    }),
    ("/account", "我的账号", |_| true),
];

impl Page {
    pub fn new(ctx: &RequestCtx, title: impl Into<String>, active: &str) -> Page {
        let mut nav = Vec::new();
        let mut user = None;
        if let Some(s) = &ctx.session {
            if !ctx.password_expired {
                for (href, label, shows) in NAV {
                    if shows(&s.scope) {
                        nav.push(NavItem {
                            href,
                            label,
                            active: *href == active,
                            badge: if *href == "/inbox" { ctx.unread } else { 0 },
                        });
                    }
                }
            }
            let roles: Vec<&str> = s.scope.roles.iter().map(|r| r.label()).collect();
            user = Some((s.display_name.clone(), roles.join("、")));
        }
        Page {
            title: title.into(),
            csrf: ctx.csrf.clone(),
            large_text: ctx.large_text,
            user,
            nav,
            notice: None,
        }
    }

    /// A public page: no navigation, no signed-in name (even if a staff member happens to be logged in).
    pub fn public(ctx: &RequestCtx, title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            csrf: ctx.csrf.clone(),
            large_text: ctx.large_text,
            user: None,
            nav: vec![],
            notice: None,
        }
    }

    pub fn notice(mut self, done: Option<&str>) -> Page {
        self.notice = done.and_then(notice_text);
        self
    }
}

/// The fixed notices a redirect may ask for (never free text from the URL).
fn notice_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "password" => "密码已修改",
        "saved" => "已保存",
        "mobile" => "手机号和短信提醒设置已保存",
        "created" => "账号已创建",
        "disabled" => "账号已停用，其所有登录会话已结束",
        "enabled" => "账号已启用",
        "unlocked" => "账号已解锁",
        "sessions" => "该账号的所有登录会话已结束",
        "logout" => "您已安全退出",
        "closed" => "站点已撤销，二维码已停用",
        "left" => "已登记离任",
        "removed" => "已移除（保留在历史记录中）",
        "recorded" => "已登记",
        "requeued" => "已重新排队，将立即发送",
        _ => return None,
    })
}

/// A UTC time as people here read it: Beijing time, to the minute.
pub fn local_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    liaison_domain::time::local(*t)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A region's lineage as people read it: 青海省 › 海南藏族自治州 › 共和县 (placeholders left out).
pub fn region_path(lineage: &[liaison_store::region::Region]) -> String {
    lineage
        .iter()
        .filter(|r| !r.is_placeholder())
        .map(|r| r.short_name())
        .collect::<Vec<_>>()
        .join(" › ")
}
