/// Column names of the generated files, in EXPORT-FORMAT.md order: (English, 中文).
enum ExportColumns {
    static let merchants: [(String, String)] = [
        ("platform_merchant_id", "平台经营者ID"), ("shop_name", "店铺名称"), ("entity_type", "主体类型"),
        ("uscc", "统一社会信用代码"), ("registered_name", "经营者名称"), ("legal_representative", "法定代表人"),
        ("registered_address", "住所"), ("displayed_name", "公示名称"), ("displayed_uscc", "公示统一社会信用代码"),
        ("displayed_address", "公示住所"), ("licence_displayed", "是否亮照"), ("category", "经营类目"),
        ("small_scale_declared", "小额零星声明"), ("annual_turnover_cny", "年交易额(元)"),
        ("verified_at", "平台核验日期"), ("opened_at", "入驻日期"), ("status", "店铺状态"),
        ("complaints_90d", "近90日投诉数"), ("region_code", "行政区划代码"),
    ]
    static let licences: [(String, String)] = [
        ("platform_merchant_id", "平台经营者ID"), ("licence_type", "许可证类型"), ("licence_no", "许可证编号"),
        ("holder_name", "持证主体"), ("valid_from", "有效期起"), ("valid_to", "有效期至"), ("issuer", "发证机关"),
    ]
    static let registry: [(String, String)] = [
        ("uscc", "统一社会信用代码"), ("name", "名称"), ("legal_representative", "法定代表人"), ("address", "住所"),
        ("registration_status", "登记状态"), ("changed_at", "最近变更日期"), ("abnormal_list", "列入经营异常名录"),
        ("serious_violation_list", "列入严重违法失信名单"), ("last_annual_report_year", "最近年报年度"),
    ]
    static let events: [(String, String)] = [
        ("event_id", "事件编号"), ("platform_merchant_id", "平台经营者ID"), ("event_type", "事件类型"),
        ("occurred_at", "发生时间"), ("severity", "严重程度"), ("description", "描述"),
    ]
}
