// What several sections share: the tenant on screen and the lists more than one tab reads.
// State only one section needs lives in that section's module.

export const state = {
  tenants: [],
  tenant: null,
  tab: 'connections',
  /** The tenant's connections: listed by one tab, offered by the group form. */
  connections: [],
  /** The tenant's groups: listed by one tab, named in the dead letters. */
  groups: [],
}
