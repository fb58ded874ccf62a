/// 主体类型.
public enum EntityType: String, CodedValue {
    case enterprise, individualBusiness = "individual_business", naturalPerson = "natural_person"
    public var chineseNames: [String] {
        switch self {
        case .enterprise: ["企业"]
        case .individualBusiness: ["个体工商户"]
        case .naturalPerson: ["自然人"]
        }
    }
}

/// 经营类目. A merchant may list several (`MerchantRecord.categories`). What each needs is the
/// rule pack's `[verification.licence_required]`; 食品安全法 art. 35: 食用农产品 needs no licence,
/// 仅销售预包装食品 a 备案; 医疗器械监督管理条例: class I nothing, class II a 备案, class III a licence.
public enum MerchantCategory: String, CodedValue {
    case general, food, prepackagedFood = "prepackaged_food", edibleFarmProduce = "edible_farm_produce", drug,
         medicalDevice = "medical_device", medicalDeviceII = "medical_device_ii", medicalDeviceI = "medical_device_i",
         cosmetics, publication, other
    public var chineseNames: [String] {
        switch self {
        case .general: ["一般商品"]
        case .food: ["食品"]
        case .prepackagedFood: ["仅销售预包装食品", "预包装食品"]
        case .edibleFarmProduce: ["食用农产品"]
        case .drug: ["药品"]
        case .medicalDevice: ["医疗器械", "第三类医疗器械"]
        case .medicalDeviceII: ["第二类医疗器械"]
        case .medicalDeviceI: ["第一类医疗器械"]
        case .cosmetics: ["化妆品"]
        case .publication: ["出版物"]
        case .other: ["其他"]
        }
    }
}

/// 店铺状态.
public enum StorefrontStatus: String, CodedValue {
    case active, suspended, closed
    public var chineseNames: [String] {
        switch self {
        case .active: ["营业中"]
        case .suspended: ["暂停"]
        case .closed: ["关闭"]
        }
    }
}

/// 许可证类型: licences and the 备案 (filings) that stand in for one where the law asks no licence.
public enum LicenceType: String, CodedValue {
    case foodBusiness = "food_business", prepackagedFoodFiling = "prepackaged_food_filing",
         drugBusiness = "drug_business", medicalDevice = "medical_device", medicalDeviceFiling = "medical_device_filing",
         publication, other
    public var chineseNames: [String] {
        switch self {
        case .foodBusiness: ["食品经营许可证"]
        case .prepackagedFoodFiling: ["仅销售预包装食品备案", "预包装食品备案"]
        case .drugBusiness: ["药品经营许可证"]
        // "许可证/备案" was the one spelling before the 备案 types existed: read as the licence, which
        // also covers class II (a filing alone never covers class III).
        case .medicalDevice: ["医疗器械经营许可证", "医疗器械经营许可证/备案"]
        case .medicalDeviceFiling: ["第二类医疗器械经营备案", "医疗器械经营备案"]
        case .publication: ["出版物经营许可证"]
        case .other: ["其他"]
        }
    }
    /// A 备案 (filing) rather than a 许可 (licence): messages say which the merchant lacks.
    public var isFiling: Bool { self == .prepackagedFoodFiling || self == .medicalDeviceFiling }
}

/// 事件类型.
public enum EventType: String, CodedValue {
    case complaint, violation, penalty, recall, dispute
    public var chineseNames: [String] {
        switch self {
        case .complaint: ["投诉"]
        case .violation: ["违规"]
        case .penalty: ["处罚"]
        case .recall: ["召回"]
        case .dispute: ["纠纷"]
        }
    }
}

/// 严重程度.
public enum EventSeverity: String, CodedValue {
    case minor, general, serious
    public var chineseNames: [String] {
        switch self {
        case .minor: ["轻微"]
        case .general: ["一般"]
        case .serious: ["严重"]
        }
    }
}

/// 处理结果 of a receipt.
public enum ReceiptAction: String, CodedValue {
    case executed, rectified, rejected
    /// The merchant applies for credit repair (信用修复申请书 and 守信承诺书 submitted through the
    /// platform), answering a prompt: not an answer to the instruction's step; the regulator
    /// files it as a repair application for the listing authority (issue 12).
    case repairApplication = "repair_application"
    public var chineseNames: [String] {
        switch self {
        case .executed: ["已执行"]
        case .rectified: ["已整改"]
        case .rejected: ["无法执行"]
        case .repairApplication: ["信用修复申请"]
        }
    }
}

/// 登记状态 in the registry.
public enum RegistrationStatus: String, CodedValue {
    case subsisting, operating, revoked, cancelled, movedOut = "moved_out"
    public var chineseNames: [String] {
        switch self {
        case .subsisting: ["存续"]
        case .operating: ["在业"]
        case .revoked: ["吊销"]
        case .cancelled: ["注销"]
        case .movedOut: ["迁出"]
        }
    }
    /// 吊销/注销: the entity may no longer trade.
    public var endsTrading: Bool { self == .revoked || self == .cancelled }
}
