// Sign-in and sign-out: the token stays in this tab's sessionStorage only.

import { forgetToken, onUnauthorized, rememberToken } from './api.js'
import { $, h } from './dom.js'
import { clearFormErrors, submitting } from './forms.js'
import { state } from './state.js'

/** Shows the sign-in screen, the tenant list or one tenant. */
export function showOnly(...ids) {
  for (const id of ['login', 'tenants', 'tenant']) $(`#${id}`).hidden = !ids.includes(id)
  $('#sign-out').hidden = ids.includes('login')
}

export function signOut(message) {
  forgetToken()
  state.tenants = []
  state.tenant = null
  showOnly('login')
  const form = $('#login-form')
  clearFormErrors(form)
  if (message) $('.form-status', form).replaceChildren(h('div', { class: 'notice error' }, message))
  form.elements.namedItem('token').focus()
}

/** Wires the sign-in form; start() checks the token and opens the page. */
export function setupSignIn(start) {
  onUnauthorized(signOut)
  const form = $('#login-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const input = form.elements.namedItem('token')
    const value = input.value.trim()
    // The field is emptied at once; the token lives on in sessionStorage only.
    input.value = ''
    if (!value) return signOut('请输入管理令牌。 Please enter the token.')
    rememberToken(value)
    submitting(form, start, forgetToken)
  })
  $('#sign-out').addEventListener('click', () => {
    location.hash = ''
    signOut()
  })
}
