import Hummingbird

extension RegulatorRouter {
    /// The server's routes: the API's (`apiRoutes`, HTTP/) and the staff console in a browser
    /// beside them (docs/console.md), which acts through the API's controllers — assembled here,
    /// above both, so the API never names the console. Then every route goes into the table the
    /// 405 answers read.
    public func build() -> Router<RegulatorRequestContext> {
        let (router, table) = apiRoutes()
        let linkHealth: ConsoleRoutes.PlatformHealthSource = { now in try await platformHealth(now: now, silentAfter: Self.defaultSilentAfter) }
        ConsoleRoutes(store: store, staffLogin: staffLogin, cookies: ConsoleCookies(secure: consoleSecureCookies), bell: bell,
                      platformHealth: linkHealth, directives: staffDirectives)
            .addRoutes(to: router)
        table.load(router.routes.map { ($0.path.description, $0.method.rawValue) })
        return router
    }
}
