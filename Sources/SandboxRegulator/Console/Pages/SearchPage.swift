import Hummingbird

/// One box for everything an enterprise is known by (USCC, registered name, legal
/// representative, shop name, platform merchant id), an optional region, and the enterprises
/// found within the caller's jurisdiction (`searchEnterprises`), each linking to its file.
enum SearchPage {
    static func answer(_ request: Request, _ context: RegulatorRequestContext, store: RegulatorStore) async throws -> Response {
        let c = context.console
        let text = QueryParameters.text(request, "q") ?? ""
        let region = QueryParameters.text(request, "region")
        if let region, !Jurisdiction.isDivisionCode(region) {
            throw APIError(.badRequest, "the region must be a 6-digit division code such as 510104, or empty for all; got \(region)")
        }
        let jurisdiction = try context.scope()
        let hits = text.isEmpty ? [] : try await store.read { try $0.searchEnterprises(text, region: region, jurisdiction: jurisdiction) }
        if let format = try ExportFormat.asked(request) {
            return format.response(headers: [c.t(.uscc), c.t(.enterpriseName), c.t(.matchedOn)], rows: hits.map { hit in
                [hit.uscc, hit.name ?? "", hit.matches.map { "\(label($0.field, c)): \($0.term)" }.joined(separator: "; ")]
            }, name: "search")
        }
        var results = HTML.empty
        if !text.isEmpty {
            let rows: [[HTML]] = hits.map { hit in
                let matched = HTML(joining: hit.matches.prefix(3).map { "<span class=\"match\">\(label($0.field, c)): \($0.term)</span> " })
                return ["<a href=\"/console/enterprises/\(hit.uscc)\">\(hit.uscc)</a>", "\(hit.name ?? "")", matched]
            }
            let table: HTML = hits.isEmpty ? "<p>\(c.t(.noResults))</p>"
                : ConsoleTable(caption: c.t(.results), headers: [c.t(.uscc), c.t(.enterpriseName), c.t(.matchedOn)], rows: rows).html(c)
            results = "<h2>\(c.t(.results)) (\(hits.count))</h2>\n\(ExportFormat.links(request, c))\(table)"
        }
        let body: HTML = """
            <h1>\(c.t(.search))</h1>
            <form method="get" action="/console/search" role="search">
            <label for="q">\(c.t(.searchHint))</label>
            <input type="search" id="q" name="q" value="\(text)" autofocus>
            <label for="region">\(c.t(.region)) — \(c.t(.regionHint))</label>
            <input type="text" id="region" name="region" value="\(region ?? "")" inputmode="numeric" pattern="[0-9]{6}">
            <div><button type="submit" id="search-button">\(c.t(.searchButton))</button></div>
            </form>
            \(results)
            """
        return ConsolePage.render(title: c.t(.search), body, context: context)
    }

    static func label(_ field: String, _ c: ConsoleRequestState) -> String {
        switch field {
        case "uscc": return c.t(.uscc)
        case "name": return c.t(.enterpriseName)
        case "legal_representative": return c.t(.legalRepresentative)
        case "shop_name": return c.t(.shopName)
        case "platform_merchant_id": return c.t(.merchantID)
        default: return field
        }
    }
}
