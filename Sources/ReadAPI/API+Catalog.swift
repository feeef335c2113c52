import Commerce

extension API {
    /// A variant as `PATCH /api/variants/{sku}` answers it: the price as a decimal string in its
    /// currency, the same way the request and the catalog CSV write it.
    package struct Variant: Encodable, Sendable {
        package let sku: String
        package let productId: String
        package let size: String
        package let color: String
        package let price: String
        package let currency: String
        package let stock: Int

        package init(_ variant: Commerce.Variant) {
            sku = variant.sku
            productId = variant.productID
            size = variant.size
            color = variant.color
            price = variant.price.decimalString
            currency = variant.price.currency
            stock = variant.stock
        }
    }

    /// What `PUT /api/catalog` did.
    package struct CatalogSummary: Encodable, Sendable {
        package let products: Int
        package let variants: Int
        package let newVariants: Int
        package let withdrawnVariants: Int

        package init(_ summary: CatalogImportSummary) {
            products = summary.products
            variants = summary.variants
            newVariants = summary.newVariants
            withdrawnVariants = summary.withdrawnVariants
        }
    }
}
