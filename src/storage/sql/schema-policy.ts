// Tables of the policy in storage: drafts, published versions, approvals, the change log.
export interface PolicyTables {}
