import SandboxCore

/// Word pools for realistic Chengdu merchants, kept as UTF-8 bytes so rows are assembled by copying.
///
/// Trade names (字号) are combined from two pools (30 × 30), given names likewise, so that half a
/// million merchants do not repeat the same few names; none of the combinations is meant to be a
/// real company.
enum ChengduVocabulary {
    struct Region {
        let code: [UInt8]          // GB/T 2260, e.g. 510107
        let name: [UInt8]          // 武侯区
        let roads: [[UInt8]]
        let weight: Int
        /// The city an address starts with (成都市), and the province sometimes written before it.
        var city: [UInt8] = Array("成都市".utf8)
        var province: [UInt8]? = Array("四川省".utf8)
    }

    static let regions: [Region] = [
        region("510104", "锦江区", 10, ["春熙路", "红星路三段", "东大街", "总府路", "水井坊街", "三官堂街", "静安路"]),
        region("510105", "青羊区", 10, ["长顺上街", "青华路", "光华大道一段", "西御街", "草市街", "清江东路", "八宝街"]),
        region("510106", "金牛区", 12, ["一环路北三段", "营门口路", "蜀汉路", "金府路", "茶店子路", "沙湾路", "抚琴西路"]),
        region("510107", "武侯区", 14, ["科华北路", "人民南路四段", "玉林南路", "桐梓林北路", "武侯祠大街", "二环路南四段", "簇桥街道高碑路"]),
        region("510108", "成华区", 11, ["建设路", "府青路二段", "双林路", "二仙桥东路", "万年场路", "双庆路", "崔家店路"]),
        region("510112", "龙泉驿区", 6, ["驿都大道", "龙都南路", "北京路", "十陵街道青龙大道", "大面街道成龙大道"]),
        region("510113", "青白江区", 3, ["凤凰大道", "大同路", "华金大道", "弥牟镇合兴路"]),
        region("510114", "新都区", 6, ["新都大道", "蓉都大道", "桂湖中路", "大丰街道蜀龙大道", "三河街道香城大道"]),
        region("510115", "温江区", 5, ["柳城大道", "光华大道三段", "凤溪大道", "德通桥路", "万春镇天乡路"]),
        region("510116", "双流区", 8, ["棠湖西路", "双楠大道", "西航港大道", "东升街道藏卫路", "华阳街道正北下街"]),
        region("510117", "郫都区", 6, ["望丛中路", "犀浦镇百草路", "红光大道", "德源街道东大街", "团结街道学院街"]),
        region("510118", "新津区", 2, ["五津西路", "兴园大道", "花源街道白云大道"]),
        region("510121", "金堂县", 2, ["十里大道", "金广路", "赵镇十里大道二段"]),
        region("510129", "大邑县", 1, ["东壕沟段", "晋原街道雪山大道", "安仁镇迎宾路"]),
        region("510131", "蒲江县", 1, ["蒲砚大道", "朝阳大道", "鹤山街道河滨路"]),
        region("510181", "都江堰市", 3, ["幸福大道", "蒲阳路", "建设路", "灌口街道奎光路"]),
        region("510182", "彭州市", 2, ["天府中路", "金彭东路", "致和街道南大街"]),
        region("510183", "邛崃市", 1, ["文君街道长松路", "临邛街道凤凰大道"]),
        region("510184", "崇州市", 2, ["蜀州中路", "崇阳街道永康东路", "唐安西路"]),
        region("510185", "简阳市", 2, ["雄州大道", "简城街道东门街", "射洪坝街道丹景大道"]),
    ]

    /// Cumulative weights over `regions`: central districts hold most merchants.
    static let regionWeights: [Int] = cumulative(regions.map(\.weight))

    /// Divisions outside Chengdu where some of the city's online sellers are registered (a branch
    /// trading here, a firm from a neighbouring city), indexed after `regions` as
    /// `regions.count + i`: no Chengdu draw ever reaches them (the city, issue 13 correction 10).
    static let elsewhere: [Region] = [
        Region(code: Array("510603".utf8), name: Array("旌阳区".utf8), roads: words("长江东路", "泰山北路", "岷江西路"),
               weight: 3, city: Array("德阳市".utf8)),
        Region(code: Array("511002".utf8), name: Array("市中区".utf8), roads: words("汉安大道", "公园路", "玉溪路"),
               weight: 2, city: Array("内江市".utf8)),
        Region(code: Array("500103".utf8), name: Array("渝中区".utf8), roads: words("解放碑民族路", "中山三路", "大坪正街"),
               weight: 3, city: Array("重庆市".utf8), province: nil),
        Region(code: Array("440305".utf8), name: Array("南山区".utf8), roads: words("科技南十二路", "南海大道", "粤海街道高新南七道"),
               weight: 1, city: Array("深圳市".utf8), province: Array("广东省".utf8)),
        Region(code: Array("330106".utf8), name: Array("西湖区".utf8), roads: words("文三路", "古墩路", "西溪路"),
               weight: 1, city: Array("杭州市".utf8), province: Array("浙江省".utf8)),
    ]
    static let elsewhereWeights: [Int] = cumulative(elsewhere.map(\.weight))

    /// A region by index: Chengdu's first, then `elsewhere`.
    static func region(_ index: Int) -> Region {
        index < regions.count ? regions[index] : elsewhere[index - regions.count]
    }

    static let tradeFirst = pool("鑫蓉锦川蜀天华宏瑞嘉金万恒顺德佳明盛新博致信同鼎星云君百众聚")
    static let tradeSecond = pool("源达丰禾鼎和通兴盛远世宇雅程欣诚创河帆悦川邦茂隆泰祥康福安润")

    /// 百家姓 weighted towards the surnames common in Sichuan (repeats are the weighting).
    static let surnames = pool("陈李王张刘杨黄罗周吴何赵谢曾邓冯唐廖蒋彭陈李王张刘杨黄罗周吴徐孙马朱胡郭高林郑梁宋许韩曹肖田董袁潘蔡余杜叶程苏魏吕丁任沈姚卢姜钟谭陆汪范石贾夏付方白邹孟熊秦邱江尹雷侯龙史陶黎贺顾毛郝龚邵严向汤文")
    static let givenSingle = pool("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚红玲燕华飞鹏宇浩凯林斌波辉婷倩雪琳莉梅兰")
    static let givenFirst = pool("建国志海俊文晓小春秋子思雨欣佳梓浩一家德永玉丽秀")
    static let givenSecond = pool("华明强平军芳红琴涵轩宇萱怡杰涛婷睿鑫峰东成林英兰")

    /// Industry words of registered names (字号 + 行业 + 组织形式), by category.
    static func industries(_ category: CategoryIndex) -> [[UInt8]] { industryTable[category.rawValue] }
    /// Product words for shop names, by category.
    static func products(_ category: CategoryIndex) -> [[UInt8]] { productTable[category.rawValue] }

    static let industryTable: [[[UInt8]]] = [
        words("商贸", "贸易", "科技", "电子商务", "网络科技", "日用品", "服饰", "家居用品", "实业", "供应链管理"),
        words("食品", "农产品", "副食品", "调味品", "餐饮管理", "茶业", "食品贸易", "农业开发"),
        words("医药", "大药房", "药业", "健康药房"),
        words("医疗器械", "医疗科技", "健康科技", "康复器材"),
        words("化妆品", "生物科技", "日化", "美容用品"),
        words("图书", "文化传播", "文化传媒", "书业"),
        words("信息咨询", "文化创意", "物流", "五金交电", "农资"),
    ]
    static let productTable: [[[UInt8]]] = [
        words("家居百货", "数码配件", "服饰", "日用百货", "文具", "鞋包", "户外用品", "玩具", "宠物用品", "厨具"),
        words("冒菜", "钵钵鸡", "兔头", "腊肉香肠", "火锅底料", "牛肉干", "郫县豆瓣", "川味零食", "甜水面", "花茶", "米粉", "糍粑"),
        words("大药房", "药房", "健康药房", "医药"),
        words("医疗器械", "康复器械", "护理用品", "血压计", "助听器"),
        words("美妆", "护肤", "彩妆", "香氛", "洗护"),
        words("书店", "图书", "绘本馆", "书局"),
        words("杂货", "二手好物", "农资", "五金", "文创"),
    ]

    static let enterpriseSuffix = bytes("有限公司")
    static let enterpriseSuffixLong = bytes("有限责任公司")
    static let individualSuffixes = words("经营部", "店", "商行", "工作室", "批发部", "经营店")
    static let chengduCity = bytes("成都市")
    static let chengdu = bytes("成都")
    static let sichuan = bytes("四川")
    static let sichuanProvince = bytes("四川省")
    static let marketRegulationBureau = bytes("市场监督管理局")
    static let cultureBureau = bytes("文化广电旅游局")

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func words(_ list: String...) -> [[UInt8]] { list.map { Array($0.utf8) } }
    static func pool(_ characters: String) -> [[UInt8]] { characters.unicodeScalars.map { Array(String($0).utf8) } }
    static func cumulative(_ weights: [Int]) -> [Int] {
        var total = 0
        return weights.map { total += $0; return total }
    }
    private static func region(_ code: String, _ name: String, _ weight: Int, _ roads: [String]) -> Region {
        Region(code: Array(code.utf8), name: Array(name.utf8), roads: roads.map { Array($0.utf8) }, weight: weight)
    }
}

/// The merchant categories in the order of the vocabulary tables.
enum CategoryIndex: Int, CaseIterable {
    case general, food, drug, medicalDevice, cosmetics, publication, other

    var category: MerchantCategory {
        switch self {
        case .general: .general
        case .food: .food
        case .drug: .drug
        case .medicalDevice: .medicalDevice
        case .cosmetics: .cosmetics
        case .publication: .publication
        case .other: .other
        }
    }
}
