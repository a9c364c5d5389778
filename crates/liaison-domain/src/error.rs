//! The one error type of the domain layer. Messages are the Chinese text a user sees.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("行政区划代码“{0}”无效：应为 2、4、6、9 或 12 位数字")]
    InvalidRegionCode(String),
    #[error("未知的角色“{0}”")]
    UnknownRole(String),
    #[error("系统管理员、安全管理员、审计管理员三员分立：管理员账号只担任其中一个角色，不兼任其他角色")]
    AdminRolesCombined,
    #[error("账号至少需要一个角色")]
    NoRole,
    #[error("密码不符合安全要求：{}", .0.join("；"))]
    WeakPassword(Vec<String>),
    #[error("用户名应为 3～32 位字母、数字、下划线、点或短横线，并以字母开头")]
    InvalidUsername,
    #[error("姓名不能为空，且不超过 50 个字")]
    InvalidDisplayName,
    #[error("密码处理失败")]
    PasswordHash,
    #[error("审计密钥应为 64 位十六进制数字")]
    InvalidAuditKey,
    #[error("审计校验点文件已损坏或被改动")]
    InvalidCheckpoint,
    /// A value typed into one field is not acceptable; the message says what to do.
    #[error("{message}")]
    Field {
        field: &'static str,
        message: &'static str,
    },
}
