// The message line under the top bar.

import { describeError, isUnauthorized } from './api.js'
import { $, h } from './dom.js'

let flashCount = 0
export function flash(message, kind = 'info') {
  const box = $('#flash')
  const shown = ++flashCount
  box.replaceChildren(h('div', { class: `notice ${kind}` }, message))
  // Successes fade; errors stay until the next message so they can be read.
  if (kind !== 'error') setTimeout(() => shown === flashCount && box.replaceChildren(), 6000)
}

/** For actions outside a form: a 401 is already explained on the sign-in screen. */
export function reportError(error) {
  if (!isUnauthorized(error)) flash(describeError(error), 'error')
}
