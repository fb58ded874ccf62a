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

/// 经营类目.
public enum MerchantCategory: String, CodedValue {
    case general, food, drug, medicalDevice = "medical_device", cosmetics, publication, other
    public var chineseNames: [String] {
        switch self {
        case .general: ["一般商品"]
        case .food: ["食品"]
        case .drug: ["药品"]
        case .medicalDevice: ["医疗器械"]
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

/// 许可证类型.
public enum LicenceType: String, CodedValue {
    case foodBusiness = "food_business", drugBusiness = "drug_business", medicalDevice = "medical_device",
         publication, other
    public var chineseNames: [String] {
        switch self {
        case .foodBusiness: ["食品经营许可证"]
        case .drugBusiness: ["药品经营许可证"]
        case .medicalDevice: ["医疗器械经营许可证", "医疗器械经营备案", "医疗器械经营许可证/备案"]
        case .publication: ["出版物经营许可证"]
        case .other: ["其他"]
        }
    }
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
    public var chineseNames: [String] {
        switch self {
        case .executed: ["已执行"]
        case .rectified: ["已整改"]
        case .rejected: ["无法执行"]
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
