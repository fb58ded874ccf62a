/// The console's part of the request context, set by `ConsoleSessionMiddleware`.
struct ConsoleRequestState: Sendable {
    /// From `?lang=`, else the language cookie, else Chinese.
    var language: ConsoleLanguage = .zh
    /// `?lang=` asked for a language: the answer sets the cookie, so it sticks.
    var languageChosen = false
    /// The token every form of a signed-in page carries (ConsoleCSRF), nil before login.
    var csrfToken: String?

    func t(_ text: ConsoleText) -> String { text.text(language) }
}
