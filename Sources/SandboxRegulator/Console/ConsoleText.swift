/// Every string the console shows, in both languages, in one place: a page names the string
/// (`t(.search)`), never spells it, so a translation cannot be missed in one page and not another
/// (the switch below must cover every case).
enum ConsoleText: CaseIterable {
    case appName, login, logout, username, password, signedInAs, language
    case search, searchHint, searchButton, region, regionHint, noResults, results
    case uscc, enterpriseName, legalRepresentative, address, registrationStatus, matchedOn
    case enterprise, identity, storefronts, platform, merchantID, shopName, creditClass, standing
    case member, notMember, notMemberBecause, memberSince, findings, cases, caseState, rule, deadline
    case leads, leadStage, officer, instructions, prompts, repairs, repairState, decisions, nothingYet, overrides
    case notInRegistry, errorTitle, backToSearch, wrongLogin, throttled, csrfRefused, notFound, forbidden
    case opened, updated, kind, registry, storefrontRegion, abnormalList, seriousViolationList, yes, no
    case dashboard, periodFrom, periodTo, show, figures, figure, value, trend, trendCaption, dueToday, overdueLeads, month
    case leadQueue, leadDetail, caseID, overdue, steps, action, note, assignee, transferredTo, measure, penaltyYuan, record
    case export, audit, fromAddress, actor, role, outcome, status, detail, subject, since, earlier
    case actAssign, actVerify, actFile, actNotFile, actTransfer, actClose, confirmClose, noActionLeft, open

    func text(_ language: ConsoleLanguage) -> String {
        let pair = pair
        return language == .zh ? pair.zh : pair.en
    }

    private var pair: (zh: String, en: String) {
        switch self {
        case .appName: return ("信用监管沙盒 · 工作台", "Credit sandbox · staff console")
        case .login: return ("登录", "Log in")
        case .logout: return ("退出登录", "Log out")
        case .username: return ("用户名", "Username")
        case .password: return ("密码", "Password")
        case .signedInAs: return ("当前用户", "Signed in as")
        case .language: return ("语言", "Language")
        case .search: return ("查询", "Search")
        case .searchHint: return ("统一社会信用代码、企业名称、法定代表人、店铺名称或平台商户号",
                                  "USCC, enterprise name, legal representative, shop name or platform merchant id")
        case .searchButton: return ("查询", "Search")
        case .region: return ("行政区划", "Region")
        case .regionHint: return ("6位行政区划代码，如 510104（可不填）", "6-digit division code, e.g. 510104 (optional)")
        case .noResults: return ("没有找到在您管辖范围内的企业。", "No enterprise within your jurisdiction matches.")
        case .results: return ("查询结果", "Results")
        case .uscc: return ("统一社会信用代码", "USCC")
        case .enterpriseName: return ("企业名称", "Enterprise name")
        case .legalRepresentative: return ("法定代表人", "Legal representative")
        case .address: return ("住所", "Address")
        case .registrationStatus: return ("登记状态", "Registration status")
        case .matchedOn: return ("匹配", "Matched on")
        case .enterprise: return ("一户一档", "Enterprise file")
        case .identity: return ("登记信息", "Registry identity")
        case .storefronts: return ("各平台店铺", "Storefronts on every platform")
        case .platform: return ("平台", "Platform")
        case .merchantID: return ("平台商户号", "Platform merchant id")
        case .shopName: return ("店铺名称", "Shop name")
        case .creditClass: return ("信用分类", "Credit class")
        case .standing: return ("沙盒名单", "Sandbox standing")
        case .member: return ("在名单内", "Member")
        case .notMember: return ("不在名单内", "Not a member")
        case .notMemberBecause: return ("原因", "Reason")
        case .memberSince: return ("入选日期", "Member since")
        case .findings: return ("发现的问题", "Findings")
        case .cases: return ("案件时间线", "Cases")
        case .caseState: return ("状态", "State")
        case .rule: return ("规则", "Rule")
        case .deadline: return ("期限", "Deadline")
        case .leads: return ("线索办理", "Leads")
        case .leadStage: return ("办理阶段", "Stage")
        case .officer: return ("承办人", "Officer")
        case .instructions: return ("指令与回执", "Instructions and receipts")
        case .prompts: return ("提示", "Prompts")
        case .repairs: return ("信用修复", "Credit repair")
        case .repairState: return ("修复状态", "Repair state")
        case .decisions: return ("处理决定", "Decisions")
        case .nothingYet: return ("暂无。", "None yet.")
        case .overrides: return ("人工调整", "Staff overrides")
        case .notInRegistry: return ("登记库中没有该代码。", "The registry does not know this code.")
        case .errorTitle: return ("无法完成", "Cannot do that")
        case .backToSearch: return ("返回查询", "Back to search")
        case .wrongLogin: return ("用户名或密码错误（或账号已停用）。", "Wrong username or password (or the account is disabled).")
        case .throttled: return ("登录失败次数过多，请稍后再试。", "Too many failed logins; try again later.")
        case .csrfRefused: return ("表单已过期，请刷新页面后重新提交。", "The form has expired; reload the page and send it again.")
        case .notFound: return ("未找到", "Not found")
        case .forbidden: return ("无权操作", "Not allowed")
        case .opened: return ("立案日期", "Opened")
        case .updated: return ("更新时间", "Updated")
        case .kind: return ("类别", "Kind")
        case .registry: return ("登记", "Registry")
        case .storefrontRegion: return ("店铺所在区划", "Storefront region")
        case .abnormalList: return ("经营异常名录", "Abnormal operations list")
        case .seriousViolationList: return ("严重违法失信名单", "Serious violation list")
        case .dashboard: return ("工作概览", "Dashboard")
        case .periodFrom: return ("起始日期", "From")
        case .periodTo: return ("截止日期", "To")
        case .show: return ("显示", "Show")
        case .figures: return ("成效指标", "Outcome figures")
        case .figure: return ("指标", "Figure")
        case .value: return ("数值", "Value")
        case .trend: return ("按月趋势", "Monthly trend")
        case .trendCaption: return ("违法预警线索、整改、线索结案，按月", "Leads, rectified and leads closed, per month")
        case .dueToday: return ("今日待办：逾期线索", "Due today: overdue leads")
        case .overdueLeads: return ("逾期线索", "Overdue leads")
        case .month: return ("月份", "Month")
        case .leadQueue: return ("线索工作队列", "Lead work queue")
        case .leadDetail: return ("线索", "Lead")
        case .caseID: return ("案件编号", "Case id")
        case .overdue: return ("逾期", "overdue")
        case .steps: return ("办理记录", "Steps")
        case .action: return ("办理事项", "Action")
        case .note: return ("说明（核查情况、立案文号、理由）", "Note (findings, case number, reasons)")
        case .assignee: return ("承办人用户名", "Assignee's username")
        case .transferredTo: return ("移送机关", "Transferred to")
        case .measure: return ("处理措施（责令改正、警告、罚款……）", "Measure (order to correct, warning, fine …)")
        case .penaltyYuan: return ("罚没款（元，可不填）", "Penalty in yuan (optional)")
        case .record: return ("记录", "Record")
        case .actAssign: return ("分派", "Assign")
        case .actVerify: return ("核查", "Verify (核查)")
        case .actFile: return ("立案", "File a case (立案)")
        case .actNotFile: return ("不予立案", "Do not file (不予立案)")
        case .actTransfer: return ("移送", "Transfer (移送)")
        case .actClose: return ("结案", "Close (结案)")
        case .confirmClose: return ("确认记录此步骤？记录后不可更改。", "Record this step? Steps cannot be changed afterwards.")
        case .noActionLeft: return ("该线索已办结。", "This lead is finished.")
        case .open: return ("打开", "Open")
        case .export: return ("按当前筛选导出", "Export with these filters")
        case .audit: return ("审计记录", "Audit trail")
        case .fromAddress: return ("来源地址", "From address")
        case .actor: return ("操作人", "Actor")
        case .role: return ("角色", "Role")
        case .outcome: return ("结果", "Outcome")
        case .status: return ("状态码", "Status")
        case .detail: return ("详情", "Detail")
        case .subject: return ("对象", "Subject")
        case .since: return ("起始日期（YYYY-MM-DD，可不填）", "Since (YYYY-MM-DD, optional)")
        case .earlier: return ("更早的记录", "Earlier entries")
        case .yes: return ("是", "yes")
        case .no: return ("否", "no")
        }
    }
}
