/// An enterprise's registration division as the store's SQL has always read it: `substr(uscc, 3,
/// 6)`, USCC characters 3–8 (the 行政区划代码 a report's region is a prefix of). Every code the
/// intake accepts has them (NumberField.usccShape: 15 or 18 ASCII characters); unlike
/// USCC.divisionCode this does not ask for 18, so a 15-digit registration number is filed where the
/// SQL filed it.
enum RegistrationDivision {
    static func of(_ uscc: String) -> String {
        String(decoding: uscc.utf8.dropFirst(2).prefix(6), as: UTF8.self)
    }
}
