import SandboxCore

/// Rows of the city's events-* exports (EXPORT-FORMAT.md): id, storefront, type, time, severity,
/// and a description as a platform's customer service or compliance desk writes it.
extension ExportRowRenderer {
    func eventRow(_ event: EventPlan, into w: inout CSVFileWriter) throws(GeneratorError) {
        w.beginField()
        w.buffer.append(contentsOf: Self.eventPrefix)
        merchantID(event.storefront, &w)
        w.buffer.append(0x2D)
        padded(event.number, width: 3, &w)
        w.endField()
        w.beginField(); merchantID(event.storefront, &w); w.endField()
        w.field(Array((english ? event.type.rawValue : event.type.chineseNames[0]).utf8))
        w.beginField()
        date(event.day, &w)
        w.buffer.append(0x54)   // T
        padded(event.minute / 60, width: 2, &w); w.buffer.append(0x3A)
        padded(event.minute % 60, width: 2, &w)
        w.buffer.append(contentsOf: Self.shanghaiOffset)
        w.endField()
        w.field(Array((english ? event.severity.rawValue : event.severity.chineseNames[0]).utf8))
        w.field(Self.eventDescriptions[event.type]![event.description])
        try w.endRow()
    }

    private static let eventPrefix = Array("EV".utf8)
    private static let shanghaiOffset = Array(":00+08:00".utf8)
    private static let eventDescriptions: [EventType: [[UInt8]]] = [
        .complaint: ChengduVocabulary.words("消费者投诉商品与描述不符", "消费者投诉发货延迟", "消费者投诉退换货受阻", "消费者投诉客服态度"),
        .dispute: ChengduVocabulary.words("退款纠纷，平台介入处理", "商品质量纠纷", "运费争议", "七日无理由退货争议"),
        .violation: ChengduVocabulary.words("平台巡检发现商品标题夸大宣传", "双随机抽查发现标签不规范", "平台巡检发现虚构原价", "抽检发现商品质量不合格"),
        .penalty: ChengduVocabulary.words("市场监管部门行政处罚：虚假宣传", "市场监管部门行政处罚：销售不合格商品",
                                          "市场监管部门行政处罚：未按规定公示信息", "市场监管部门行政处罚：价格违法"),
        .recall: ChengduVocabulary.words("经营者主动召回批次商品", "经营者主动召回问题批次", "配合生产者召回", "主动下架并召回"),
    ]
}
