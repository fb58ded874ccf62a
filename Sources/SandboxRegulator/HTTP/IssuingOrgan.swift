/// The administrative organ a staff decision is issued in the name of (issue 13 correction 7):
/// the pack's issuer (the city bureau), or its district bureau for a district officer.
enum IssuingOrgan {
    static func name(for identity: Identity, store: RegulatorStore) async -> String {
        let packIssuer = (try? await store.read { try $0.publishedPack() })?.header.issuer ?? "成都市市场监督管理局"
        if case .district(let code) = identity.jurisdiction { return "\(packIssuer)（行政区划 \(code) 区/县局）" }
        return packIssuer
    }
}
