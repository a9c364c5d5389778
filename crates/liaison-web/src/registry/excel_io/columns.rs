//! The columns of each spreadsheet: header, form field, whether it is required, and the note the
//! template's 填写说明 sheet shows for it.

/// (header, form field, required, note for the 填写说明 sheet)
pub(super) type Column = (&'static str, &'static str, bool, &'static str);

pub(super) const STATION_COLUMNS: &[Column] = &[
    (
        "站点名称",
        "name",
        true,
        "同一行政区内不能重名；再次导入时按“所在行政区代码 + 站点名称”更新",
    ),
    (
        "类型",
        "kind",
        true,
        "代表之家、代表联络站、代表联络室（活动室）、代表联络点、基层立法联系点、代表工作室、助侨联系点",
    ),
    (
        "所在行政区代码",
        "region",
        true,
        "村（社区）12 位或乡镇 9 位统计用区划代码",
    ),
    ("行业", "industry", false, "行业代表之家/联络站填写，如“造纸业”"),
    ("地址", "address", false, ""),
    ("纬度", "latitude", false, "可选，如 36.28"),
    ("经度", "longitude", false, "可选，如 100.62"),
    ("站点电话", "phone", false, "对外公开；手机号或带区号的座机号"),
    ("负责人", "manager_name", false, ""),
    ("负责人电话", "manager_phone", false, "不公开"),
    ("联络员", "liaison_name", false, ""),
    ("联络员电话", "liaison_phone", false, "不公开"),
    ("开放时间", "open_hours", false, "如“工作日 9:00-17:00”"),
    ("接待日", "reception_rule", false, "如“每月10日”“每周三上午”"),
    ("设施", "facilities", false, "多项用顿号或换行分隔"),
    ("制度", "rules", false, "多项用换行分隔"),
    ("经费", "funding", false, ""),
];

pub(super) const DEPUTY_COLUMNS: &[Column] = &[
    ("姓名", "name", true, ""),
    ("性别", "gender", true, "男 或 女"),
    (
        "民族",
        "ethnicity",
        false,
        "56 个民族之一或“其他”，如“藏族”或“藏”",
    ),
    ("出生年份", "birth_year", false, "4 位数字"),
    (
        "政治面貌",
        "party",
        false,
        "如 中共党员、共青团员、民盟盟员、无党派人士、群众（也可写简称，如“民盟”“台盟”）",
    ),
    ("职业", "occupation", false, ""),
    ("工作单位", "employer", false, ""),
    ("联系电话", "phone", false, "个人信息，不公开；留空表示不修改"),
    (
        "代表层级",
        "level",
        true,
        "全国、省、市、县、乡镇（也可写“县人大代表”）",
    ),
    (
        "选举产生的人大代码",
        "congress_region",
        true,
        "如县人大代表填县的 6 位代码，乡镇人大代表填乡镇 9 位代码",
    ),
    ("届次", "term", true, "数字，如 18"),
    ("选区", "constituency", false, ""),
    (
        "选区所在行政区代码",
        "constituency_region",
        true,
        "村或乡镇代码，用于“码上找代表”",
    ),
    ("代表小组", "deputy_group", false, ""),
    ("专业代表小组", "expert_group", false, ""),
    (
        "进驻站点",
        "stations",
        false,
        "站点名称，多个用顿号分隔；须是本辖区内已有的站点",
    ),
];

pub(super) const UNIT_COLUMNS: &[Column] = &[
    (
        "单位名称",
        "name",
        true,
        "再次导入时按“所属行政区代码 + 单位名称”更新",
    ),
    (
        "类别",
        "kind",
        true,
        "政府部门、乡镇人民政府（街道办事处）、人民法院、人民检察院、其他单位",
    ),
    ("所属行政区代码", "region", true, ""),
    ("联系电话", "phone", false, ""),
];
