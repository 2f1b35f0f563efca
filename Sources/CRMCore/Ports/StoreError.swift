/// What a store adapter reports when the database refuses a write, in terms the use cases can act on.
/// Adapters never let driver errors (with their SQL) escape; they map them to this or to `CRMError`.
package enum StoreError: Error, Sendable, Equatable {
    /// A unique constraint or index refused the row; `key` names it (e.g. "units_slug_key", "users.email").
    case uniqueViolation(key: String)
    /// A foreign key refused the row: the record it points to does not exist, or belongs to another unit.
    case foreignKeyViolation
    /// A CHECK or NOT NULL constraint refused the row.
    case constraintViolation(detail: String)
}
