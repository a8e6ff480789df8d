// The tabs of one tenant. The location hash (#tenant/<id>/<tab>) keeps the place across reloads.

import { $$ } from './dom.js'
import { state } from './state.js'

/** Tab name → its section module ({ show(tenantId), forget?() }); filled once by main.js. */
let sections = {}

export function registerTabs(tabs) {
  sections = tabs
}

export const tabSections = () => Object.values(sections)

export function openTenant(id, tab = 'connections') {
  location.hash = `#tenant/${encodeURIComponent(id)}/${tab}`
}

export function showTab(tab) {
  for (const button of $$('.tabs button')) button.setAttribute('aria-selected', String(button.dataset.tab === tab))
  for (const panel of $$('.tab')) panel.hidden = panel.id !== `tab-${tab}`
  reloadTab()
}

/** Loads the open tab again, after a change or when its "reload" button is pressed. */
export function reloadTab() {
  const tenantId = state.tenant?.id
  if (tenantId) sections[state.tab]?.show(tenantId)
}
