/// The columns of each export kind (EXPORT-FORMAT.md v1), in canonical order.
///
/// The order is fixed: validators index fields by position in these arrays (see the `…Field`
/// enums), and content hashes follow it. Add columns at the end only.
public enum ExportSchema {
    public static func columns(for kind: ExportKind) -> [ExportColumn] {
        switch kind {
        case .merchants: merchants
        case .licences: licences
        case .events: events
        case .receipts: receipts
        case .registry: registry
        }
    }

    /// `uscc` is not marked required: it is required only unless a natural person declared the
    /// small-scale exemption, and a missing one is a qualification finding, not a format error.
    public static let merchants: [ExportColumn] = [
        ExportColumn("platform_merchant_id", ["平台经营者ID", "经营者ID", "商家ID", "店铺ID"], required: true, .identifier),
        ExportColumn("shop_name", ["店铺名称", "店铺名"], required: true),
        ExportColumn("entity_type", ["主体类型"], required: true, .coded),
        ExportColumn("uscc", ["统一社会信用代码", "信用代码"], .uscc),
        ExportColumn("registered_name", ["经营者名称", "企业名称", "主体名称", "营业执照名称"]),
        ExportColumn("legal_representative", ["法定代表人", "经营者", "法定代表人/经营者"]),
        ExportColumn("registered_address", ["住所", "注册地址", "经营场所"]),
        ExportColumn("displayed_name", ["公示名称"]),
        ExportColumn("displayed_uscc", ["公示统一社会信用代码"]),
        ExportColumn("displayed_address", ["公示住所", "公示地址"]),
        ExportColumn("licence_displayed", ["是否亮照", "亮照"], .bool),
        ExportColumn("category", ["经营类目", "类目"], required: true, .coded),
        ExportColumn("small_scale_declared", ["小额零星声明", "小额零星"], .bool),
        ExportColumn("annual_turnover_cny", ["年交易额(元)", "年交易额（元）", "年交易额"], .decimalCNY),
        ExportColumn("verified_at", ["平台核验日期", "核验日期"], .date),
        ExportColumn("opened_at", ["入驻日期"], .date),
        ExportColumn("status", ["店铺状态"], .coded),
        ExportColumn("complaints_90d", ["近90日投诉数", "近90天投诉数"], .integer),
        ExportColumn("region_code", ["行政区划代码"], .regionCode),
    ]

    public static let licences: [ExportColumn] = [
        ExportColumn("platform_merchant_id", ["平台经营者ID", "经营者ID", "商家ID", "店铺ID"], required: true, .identifier),
        ExportColumn("licence_type", ["许可证类型"], required: true, .coded),
        ExportColumn("licence_no", ["许可证编号", "许可证号"], required: true),
        ExportColumn("holder_name", ["持证主体", "持证人"]),
        ExportColumn("valid_from", ["有效期起", "有效期自"], .date),
        ExportColumn("valid_to", ["有效期至", "有效期止"], .date),
        ExportColumn("issuer", ["发证机关"]),
    ]

    public static let events: [ExportColumn] = [
        ExportColumn("event_id", ["事件编号", "事件ID"], required: true),
        ExportColumn("platform_merchant_id", ["平台经营者ID", "经营者ID", "商家ID", "店铺ID"], required: true, .identifier),
        ExportColumn("event_type", ["事件类型"], required: true, .coded),
        ExportColumn("occurred_at", ["发生时间"], required: true, .dateTime),
        ExportColumn("severity", ["严重程度"], .coded),
        ExportColumn("description", ["描述"]),
    ]

    public static let receipts: [ExportColumn] = [
        ExportColumn("receipt_id", ["回执编号", "回执ID"], required: true),
        ExportColumn("instruction_id", ["指令编号", "指令ID"], required: true),
        ExportColumn("platform_merchant_id", ["平台经营者ID", "经营者ID", "商家ID", "店铺ID"], required: true, .identifier),
        ExportColumn("action", ["处理结果"], required: true, .coded),
        ExportColumn("at", ["处理时间"], required: true, .dateTime),
        ExportColumn("note", ["说明", "备注"]),
    ]

    public static let registry: [ExportColumn] = [
        ExportColumn("uscc", ["统一社会信用代码", "信用代码"], required: true, .uscc),
        ExportColumn("name", ["名称", "企业名称", "经营者名称"], required: true),
        ExportColumn("legal_representative", ["法定代表人", "经营者"]),
        ExportColumn("address", ["住所", "注册地址"]),
        ExportColumn("registration_status", ["登记状态"], .coded),
        ExportColumn("changed_at", ["最近变更日期", "变更日期"], .date),
        ExportColumn("abnormal_list", ["列入经营异常名录", "经营异常名录"], .bool),
        ExportColumn("serious_violation_list", ["列入严重违法失信名单", "严重违法失信名单"], .bool),
        ExportColumn("last_annual_report_year", ["最近年报年度", "年报年度"], .year),
    ]
}
