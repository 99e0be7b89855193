// Keyboard use of the mentions feed, and a confirmation before destructive forms (no framework, no
// inline handlers: the CSP forbids them).
//   j / k   next / previous mention      x   select it for a bulk action
//   o / Enter   open its detail page     /   focus the search box
// Keys are ignored while typing in a field, so search and notes are never hijacked. The one-letter
// keys can be turned off (the feed's 'Keyboard shortcuts' box, remembered in this browser): speech
// input types the letters of the words it hears, and WCAG 2.1.4 asks for a way out.
;(function () {
  'use strict'
  var STORE = 'vigie.shortcuts'
  function shortcutsOn() {
    try {
      return window.localStorage.getItem(STORE) !== 'off'
    } catch (err) {
      return true // storage refused (private mode): the default
    }
  }
  function syncToggle() {
    var box = document.getElementById('kbd-on')
    if (box) box.checked = shortcutsOn()
  }
  document.addEventListener('DOMContentLoaded', syncToggle)
  document.addEventListener('htmx:after:swap', syncToggle) // the feed and its box were redrawn
  document.addEventListener('change', function (e) {
    if (!e.target || e.target.id !== 'kbd-on') return
    try {
      window.localStorage.setItem(STORE, e.target.checked ? 'on' : 'off')
    } catch (err) {
      // not remembered; the box still says what it is now for this page
    }
  })
  function typing(el) {
    if (!el) return false
    var tag = el.tagName
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable
  }
  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('#mention-list > li.mention'))
  }
  function current(list) {
    var active = document.activeElement
    var li = active && active.closest ? active.closest('li.mention') : null
    return li ? list.indexOf(li) : -1
  }
  function focusAt(list, i) {
    var li = list[Math.max(0, Math.min(list.length - 1, i))]
    if (!li) return
    list.forEach(function (el) {
      el.classList.remove('current')
    })
    li.classList.add('current')
    li.focus()
    li.scrollIntoView({ block: 'nearest' })
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
    // Enter on a focused mention is no letter shortcut: it keeps opening it
    var box = document.getElementById('kbd-on')
    if (e.key.length === 1 && (box ? !box.checked : !shortcutsOn())) return
    var list = items()
    if (e.key === '/') {
      var q = document.getElementById('f-q')
      if (q) {
        e.preventDefault()
        q.focus()
      }
      return
    }
    if (!list.length) return
    var i = current(list)
    if (e.key === 'j') {
      e.preventDefault()
      focusAt(list, i + 1)
    } else if (e.key === 'k') {
      e.preventDefault()
      focusAt(list, i < 0 ? 0 : i - 1)
    } else if ((e.key === 'o' || e.key === 'Enter') && i >= 0 && e.target === list[i]) {
      e.preventDefault()
      window.location.href = list[i].getAttribute('data-href')
    } else if (e.key === 'x' && i >= 0) {
      var box = list[i].querySelector('input.select')
      if (box) {
        e.preventDefault()
        box.checked = !box.checked
        // as a click would: the bulk bar's "all on this page" box follows it
        box.dispatchEvent(new Event('change', { bubbles: true }))
      }
    }
  })
})()

// The bulk bar's "all on this page" box ticks or unticks every mention listed (a burst of 45
// mentions was 45 clicks), and follows them: unticking one unticks it.
;(function () {
  var all = document.getElementById('bulk-all')
  if (!all) return
  all.closest('label').hidden = false
  var boxes = function () {
    return document.querySelectorAll('input.select[form="bulk"]')
  }
  document.addEventListener('change', function (e) {
    var t = e.target
    if (t === all) {
      boxes().forEach(function (b) {
        b.checked = all.checked
      })
    } else if (t && t.matches && t.matches('input.select[form="bulk"]')) {
      var list = boxes()
      all.checked =
        list.length > 0 &&
        Array.prototype.every.call(list, function (b) {
          return b.checked
        })
    }
  })
})()

// Forms that delete or erase ask first: <form data-confirm="…">. A plain submit without script
// still works (the server needs no JavaScript), it just does not ask.
document.addEventListener('submit', function (e) {
  var form = e.target
  var question = form && form.getAttribute && form.getAttribute('data-confirm')
  if (question && !window.confirm(question)) e.preventDefault()
})

// The feed's period menu and its dates are two ways to say the same thing: choosing one clears
// the other before the filters are sent (capture phase: before htmx reads the form), so the page
// never shows "24 h" over a list that starts on the 15th.
document.addEventListener(
  'change',
  function (e) {
    var id = e.target && e.target.id
    var since = document.getElementById('f-since')
    var from = document.getElementById('f-from')
    var until = document.getElementById('f-until')
    if (id === 'f-since' && since.value) {
      if (from) from.value = ''
      if (until) until.value = ''
    } else if ((id === 'f-from' || id === 'f-until') && e.target.value && since) {
      since.value = ''
    }
  },
  true,
)

// On a phone the volume chart scrolls sideways: open it on the latest hours, where an incident
// is, not on the oldest ones.
function showLatest() {
  var boxes = document.querySelectorAll('.chart-scroll')
  for (var i = 0; i < boxes.length; i++) boxes[i].scrollLeft = boxes[i].scrollWidth
}
document.addEventListener('DOMContentLoaded', showLatest)
document.addEventListener('htmx:after:swap', showLatest)

// A box that scrolls sideways (the chart or a wide table on a phone) is scrolled from the keyboard
// by focusing it and using the arrows; without a tab stop a keyboard user never sees the rest
// (WCAG 2.1.1). Only while it overflows: on a wide screen it would be a useless stop.
function scrollableByKeyboard() {
  var boxes = document.querySelectorAll('.chart-scroll, .table-scroll')
  for (var i = 0; i < boxes.length; i++) {
    if (boxes[i].scrollWidth > boxes[i].clientWidth + 1) boxes[i].setAttribute('tabindex', '0')
    else if (boxes[i] !== document.activeElement) boxes[i].removeAttribute('tabindex')
  }
}
document.addEventListener('DOMContentLoaded', scrollableByKeyboard)
document.addEventListener('htmx:after:swap', scrollableByKeyboard)
window.addEventListener('resize', scrollableByKeyboard)
// a table in a <details> has no width until it opens ('toggle' does not bubble: capture)
document.addEventListener('toggle', scrollableByKeyboard, true)

// The language switch reloads the page in the other language: the new page puts keyboard focus
// back on the switch, where the person was, instead of at the top of the page.
document.addEventListener('submit', function (e) {
  if (!e.target || !e.target.classList || !e.target.classList.contains('lang')) return
  try {
    window.sessionStorage.setItem('vigie.langFocus', '1')
  } catch (err) {
    // storage refused: the new page starts at the top, as it did
  }
})
document.addEventListener('DOMContentLoaded', function () {
  try {
    if (!window.sessionStorage.getItem('vigie.langFocus')) return
    window.sessionStorage.removeItem('vigie.langFocus')
  } catch (err) {
    return
  }
  var button = document.getElementById('lang-switch')
  if (button) button.focus()
})

// An open alert's band on the volume chart opens the alert on a click. It is no link: the chart is
// one image for screen readers, and the same alerts are listed as links under it.
document.addEventListener('click', function (e) {
  var band = e.target && e.target.closest ? e.target.closest('.alert-band[data-href]') : null
  if (band) window.location.href = band.getAttribute('data-href')
})

// The page foot offers the pages in this device's time zone when Vigie shows another one (a team
// in Montréal, Vigie in Paris). Without JavaScript nothing is offered and Vigie's zone stays.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('tz-device')
  if (!form) return
  var tz = ''
  try {
    tz = Intl.DateTimeFormat().resolvedOptions().timeZone || ''
  } catch (err) {
    return
  }
  // the same zone as the page, or Vigie's (which the foot's other button already offers)
  if (!tz || tz === form.getAttribute('data-tz') || tz === form.getAttribute('data-vigie-tz'))
    return
  form.querySelector('input[name=tz]').value = tz
  var button = form.querySelector('button')
  button.textContent = button.getAttribute('data-label').replace('{tz}', tz)
  form.hidden = false
})
