import Engine
import ReadAPI

extension ConversationEngine {
    /// Brings the catalog the conversations use up to date with a committed change from the
    /// shop's systems (the catalog API).
    func catalogChanged(_ change: CatalogChange) throws {
        switch change {
        case .everything: try reloadCatalog()
        case .products(let ids): try refresh(products: ids)
        }
    }
}
