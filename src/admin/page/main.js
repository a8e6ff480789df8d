// frontdesk admin page: native ES modules, no build step. This module wires sign-in, the tenant
// list and the tabs; each tab is one module under sections/, shared helpers live under lib/.

import { api, describeError, isUnauthorized, token } from './lib/api.js'
import { $, $$ } from './lib/dom.js'
import { flash, reportError } from './lib/flash.js'
import { openTenant, registerTabs, reloadTab, showTab, tabSections } from './lib/nav.js'
import { setupSignIn, showOnly, signOut } from './lib/session.js'
import { state } from './lib/state.js'
import * as audit from './sections/audit.js'
import * as connections from './sections/connections.js'
import * as deadLetters from './sections/dead-letters.js'
import * as departments from './sections/departments.js'
import * as groups from './sections/groups.js'
import * as logins from './sections/logins.js'
import * as members from './sections/members.js'
import * as resources from './sections/resources.js'
import * as settings from './sections/settings.js'
import * as tenants from './sections/tenants.js'

// Keys are the tabs' data-tab names (and the #tab-<name> panels).
registerTabs({ connections, groups, members, logins, departments, resources, 'dead-letters': deadLetters, audit, settings })

async function route() {
  if (!token()) return signOut()
  const match = /^#tenant\/([^/]+)\/([a-z-]+)$/.exec(location.hash)
  if (!match) {
    state.tenant = null
    showOnly('tenants')
    tenants.renderTenants()
    return
  }
  const tenantId = decodeURIComponent(match[1])
  state.tab = $(`#tab-${match[2]}`) ? match[2] : 'connections'
  showOnly('tenant')
  if (state.tenant?.id !== tenantId) {
    // Another tenant: nothing the last one showed may linger in lists or forms.
    state.connections = []
    state.groups = []
    for (const section of tabSections()) section.forget?.()
    try {
      state.tenant = await api('GET', `/tenants/${encodeURIComponent(tenantId)}`)
    } catch (error) {
      if (!isUnauthorized(error)) {
        flash(describeError(error), 'error')
        location.hash = ''
      }
      return
    }
  }
  tenants.renderTenantHeader()
  showTab(state.tab)
}

/** Checks the token by listing tenants; only then leaves the sign-in screen. */
async function start() {
  await tenants.loadTenants()
  await route()
}

function setup() {
  setupSignIn(start)
  for (const section of [tenants, connections, groups, members, logins, departments, resources, settings]) section.setup()
  for (const button of $$('.tabs button')) {
    button.addEventListener('click', () => (button.dataset.tab === state.tab ? reloadTab() : openTenant(state.tenant.id, button.dataset.tab)))
  }
  $('[data-action="reload-tenants"]').addEventListener('click', () => tenants.loadTenants().catch(reportError))
  $('[data-action="back"]').addEventListener('click', () => (location.hash = ''))
  for (const button of $$('[data-action="reload-tab"]')) button.addEventListener('click', reloadTab)
  window.addEventListener('hashchange', () => route())
  document.body.dataset.ready = 'true'

  if (!token()) return signOut()
  start().catch((error) => {
    // Locked out, disabled or unreachable: back to sign-in with the reason.
    if (!isUnauthorized(error)) signOut(describeError(error))
  })
}

setup()
