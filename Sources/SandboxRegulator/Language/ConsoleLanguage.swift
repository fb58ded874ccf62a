/// The console's languages: Chinese first (the bureaus' working language), English second.
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case zh
    case en

    /// The `lang` attribute of the page.
    var tag: String { self == .zh ? "zh-CN" : "en" }

    /// A `lang` query parameter or cookie value; anything else is nil (the default applies).
    init?(parameter: String?) {
        guard let parameter, let language = ConsoleLanguage(rawValue: parameter) else { return nil }
        self = language
    }
}
