// The dashboard's wiring: sign-in, tabs (keyboard: arrow keys, Home, End), and each view's
// controls. The views live in their own modules.
import { api, hasSession, signIn, signOut, whenSignedOut } from './api.js';
import { applyArtifactFilters, decideArtifact, loadArtifacts } from './artifacts.js';
import { $, $$, clearError, showError } from './dom.js';
import {
  applyFilters,
  exportEvents,
  fillEventChoices,
  loadEvents,
  pollEvents,
  showRuleEvents
} from './events.js';
import { loadAudit, loadShadow } from './inventory.js';
import { loadLabs, refreshExposed } from './labs.js';
import { loadOverview } from './overview.js';
import { applyPackageFilters, loadPackages } from './packages.js';
import {
  cancelReview,
  deletePolicy,
  loadPolicies,
  newPolicy,
  publish,
  rerenderRules,
  review,
  setDefaultAction,
  showHistoryDiff,
  showView,
  startFromDefault
} from './policies.js';
import { issueToken, loadTokens } from './tokens.js';

const loaders = {
  overview: loadOverview,
  events: () => Promise.all([fillEventChoices(), loadEvents(true)]),
  labs: loadLabs,
  shadow: loadShadow,
  artifacts: () => loadArtifacts(true),
  packages: loadPackages,
  policies: () => loadPolicies(),
  tokens: loadTokens,
  audit: loadAudit
};

function openTab(name, focus = false) {
  clearError();
  for (const b of $$('nav [role=tab]')) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    if (on && focus) {
      b.focus();
    }
  }
  $$('.tab').forEach(t => (t.hidden = t.id !== `tab-${name}`));
  loaders[name]().catch(showError);
}

function tabKeys(ev) {
  const tabs = $$('nav [role=tab]');
  const i = tabs.indexOf(document.activeElement);
  const to = {
    ArrowRight: (i + 1) % tabs.length,
    ArrowLeft: (i - 1 + tabs.length) % tabs.length,
    Home: 0,
    End: tabs.length - 1
  }[ev.key];
  if (i >= 0 && to !== undefined) {
    ev.preventDefault();
    openTab(tabs[to].dataset.tab, true);
  }
}

function showSignedIn(on) {
  $('#signin').hidden = on;
  $('#tabs').hidden = !on;
  $('#signout').hidden = !on;
  if (!on) {
    $$('.tab').forEach(t => (t.hidden = true));
    return;
  }
  openTab('overview');
  refreshExposed().catch(() => {});
}

const on = (sel, event, fn) =>
  $(sel).addEventListener(event, ev => {
    const out = fn(ev);
    if (out && typeof out.catch === 'function') {
      out.catch(showError);
    }
  });

document.addEventListener('DOMContentLoaded', () => {
  whenSignedOut(() => showSignedIn(false));
  on('#signin-form', 'submit', async ev => {
    ev.preventDefault();
    $('#signin-error').textContent = '';
    try {
      await signIn($('#token').value.trim());
      $('#token').value = '';
      showSignedIn(true);
    } catch (e) {
      $('#signin-error').textContent = `Sign-in failed: ${e.message}`;
    }
  });
  on('#signout', 'click', signOut);
  $$('nav [role=tab]').forEach(b => b.addEventListener('click', () => openTab(b.dataset.tab)));
  on('#tabs', 'keydown', tabKeys);

  on('#overview-form', 'submit', ev => {
    ev.preventDefault();
    return loadOverview();
  });

  on('#event-filters', 'submit', ev => {
    ev.preventDefault();
    return applyFilters(ev.target);
  });
  on('#more', 'click', () => loadEvents(false));
  on('#export-ocsf', 'click', () => exportEvents('ocsf'));
  on('#export-sarif', 'click', () => exportEvents('sarif'));
  on('#detail-rule-events', 'click', showRuleEvents);

  on('#artifact-filters', 'submit', ev => {
    ev.preventDefault();
    return applyArtifactFilters(ev.target);
  });
  on('#artifacts-more', 'click', () => loadArtifacts(false));
  on('#artifact-decision', 'submit', decideArtifact);
  on('#package-filters', 'submit', ev => {
    ev.preventDefault();
    return applyPackageFilters(ev.target);
  });

  on('#new-policy', 'submit', ev => {
    ev.preventDefault();
    const name = new FormData(ev.target).get('name');
    ev.target.reset();
    return newPolicy(name);
  });
  on('#view-rules', 'click', () => showView('rules'));
  on('#view-json', 'click', () => showView('json'));
  on('#default-action', 'change', ev => setDefaultAction(ev.target.value));
  on('#start-default', 'click', startFromDefault);
  on('#rule-search', 'input', rerenderRules);
  on('#rule-layer', 'change', rerenderRules);
  on('#rule-changed', 'change', rerenderRules);
  on('#review', 'click', review);
  on('#publish', 'click', publish);
  on('#cancel-review', 'click', cancelReview);
  on('#delete', 'click', deletePolicy);
  on('#diff-a', 'change', showHistoryDiff);
  on('#diff-b', 'change', showHistoryDiff);

  on('#new-token', 'submit', ev => {
    ev.preventDefault();
    return issueToken(ev.target);
  });

  setInterval(() => pollEvents().catch(() => {}), 2000);
  if (hasSession()) {
    api('GET', '/api/v1/whoami')
      .then(() => showSignedIn(true))
      .catch(() => showSignedIn(false));
  }
});
