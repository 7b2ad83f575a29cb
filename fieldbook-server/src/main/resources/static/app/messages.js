// Every text the app shows, in one catalogue, so that a translation is one more object like this one.
// Placeholders are written {name}; plural forms are chosen by the count: {one, other}.
const en = {
  'app.name': 'Fieldbook',
  'app.skip': 'Skip to content',
  'app.loading': 'Loading…',
  'app.update.ready': 'A new version of Fieldbook is ready.',
  'app.update.now': 'Update now',
  'app.update.tooOld': 'This version of Fieldbook is too old for the server. Updating…',
  'nav.home': 'Home',
  'nav.sites': 'My sites',
  'nav.review': 'Review',
  'nav.outbox': 'Outbox',
  'nav.conflicts': 'Conflicts',
  'nav.dashboard': 'Dashboard',
  'nav.signOut': 'Sign out',
  'nav.main': 'Main',

  'banner.online': 'Online',
  'banner.offline': 'Offline',
  'banner.syncing': 'Syncing…',
  'banner.waiting': { one: '{count} change on this device', other: '{count} changes on this device' },
  'banner.photos': { one: '{count} photo to upload', other: '{count} photos to upload' },
  'banner.allSynced': 'All changes synced',
  'banner.lastSync': 'last synced {time}',
  'banner.neverSynced': 'not synced yet',
  'banner.signInAgain': 'Your session has ended. Sign in again to sync; nothing on this device is lost.',

  'signIn.title': 'Sign in',
  'signIn.lead': 'Daily reports from every site, with or without signal.',
  'signIn.login': 'Login',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.working': 'Signing in…',
  'signIn.refused': 'The login or the password is wrong.',
  'signIn.throttled': 'Too many failed sign-ins. Try again in {seconds} seconds.',
  'signIn.offline': 'No connection. Signing in needs the network once; after that Fieldbook works offline.',
  'signIn.otherUserWaiting': 'Changes of {name} are still waiting on this device. {name} must sign in and sync first.',
  'signIn.failed': 'Signing in failed: {detail}',
  'signIn.administrator': 'Administrators work in the API for now (see /swagger-ui.html); this app is for field workers, managers and executives.',

  'signOut.waiting': { one: 'You cannot sign out while {count} change waits on this device. Sync first.', other: 'You cannot sign out while {count} changes wait on this device. Sync first.' },
  'signOut.photos': 'You cannot sign out while photos wait on this device. Sync first.',
  'signOut.confirm': 'Signing out removes all Fieldbook data from this device.',

  'sites.title': 'My sites',
  'sites.none': 'You are not assigned to any site yet. Your administrator assigns sites.',
  'sites.empty': 'No sites on this device yet. They arrive with the first sync.',
  'sites.today': 'Today’s report',
  'sites.todayStarted': 'Continue today’s report',
  'sites.past': 'Past reports',
  'sites.localDate': 'Today there: {date}',

  'report.title': 'Daily report',
  'report.notFound': 'There is no such report on this device.',
  'report.back': 'Back',
  'report.siteDate': '{site} · {date}',
  'report.author': 'Written by {name}',
  'report.saved': 'Saved on this device',
  'report.saving': 'Saving…',
  'report.saveFailed': 'Could not save on this device: {detail}',
  'report.readOnly': 'This report can no longer be changed.',
  'report.weather': 'Weather',
  'report.weather.conditions': 'Conditions',
  'report.weather.temperature': 'Temperature (°C)',
  'report.crew': 'Crew',
  'report.crew.copied': 'Crew copied from the report of {date}. Change what differs today.',
  'report.crew.none': 'No crew rows yet.',
  'report.crew.row': 'Crew row {number}',
  'report.crew.trade': 'Trade',
  'report.crew.company': 'Company',
  'report.crew.headcount': 'Headcount',
  'report.crew.hours': 'Hours in all',
  'report.crew.add': 'Add a crew row',
  'report.crew.remove': 'Remove crew row {number}',
  'report.crew.less': 'One less',
  'report.crew.more': 'One more',
  'report.crew.tradeMissing': 'Each crew row needs a trade.',
  'report.photos': 'Photos',
  'report.photos.add': 'Take or add photos',
  'report.photos.caption': 'Caption for the next photos (optional)',
  'report.photos.none': 'No photos yet.',
  'report.photos.preparing': 'Preparing photos…',
  'report.photos.onDevice': 'On this device',
  'report.photos.uploading': 'Uploading {percent} %',
  'report.photos.onServer': 'On the server',
  'report.photos.refused': 'Refused: {detail}',
  'report.photos.failed': 'Could not add the photo: {detail}',
  'report.photos.alt': 'Photo {number}',
  'report.workPerformed': 'Work performed',
  'report.delays': 'Delays',
  'report.safetyIncidents': 'Safety incidents',
  'report.materials': 'Materials and equipment',
  'report.notes': 'Notes',
  'report.submit': 'Submit report',
  'report.submitted.waiting': 'Submitted on this device. It goes to the server with the next sync.',
  'report.invalid': 'Fix this before submitting: {detail}',
  'report.temperatureRange': 'The temperature must be between -90 and 70 °C.',
  'report.hoursInvalid': 'Hours must be a number from 0, with at most 2 decimals.',
  'report.headcountInvalid': 'The headcount must be a whole number from 0 to 10000.',
  'report.returned': 'Returned by {name}',
  'report.returnedNoName': 'Returned by the manager',
  'report.comment': 'Comment',
  'report.decide.title': 'Review',
  'report.approve': 'Approve',
  'report.return': 'Return with comment',
  'report.returnComment': 'What must be fixed?',
  'report.commentNeeded': 'Write what must be fixed before returning the report.',
  'report.decided.waiting': 'Your decision goes to the server with the next sync.',

  'status.DRAFT': 'Draft',
  'status.SUBMITTED': 'Submitted',
  'status.RETURNED': 'Returned',
  'status.APPROVED': 'Approved',
  'status.waiting': 'Waiting to sync',

  'past.title': 'Reports of {site}',
  'past.none': 'No reports for this site yet.',

  'review.title': 'Review queue',
  'review.none': 'No submitted reports wait for review.',
  'review.by': 'by {name}',
  'review.previous': 'Previous in queue',
  'review.next': 'Next in queue',

  'outbox.title': 'Outbox',
  'outbox.lead': 'Changes made on this device that the server has not confirmed yet.',
  'outbox.empty': 'Nothing waits. Everything on this device is on the server.',
  'outbox.syncNow': 'Sync now',
  'outbox.kind.CREATE': 'New report',
  'outbox.kind.UPDATE': 'Changes',
  'outbox.kind.DELETE': 'Deletion',
  'outbox.submit': 'Submission',
  'outbox.photo': 'New photo',
  'outbox.upload': 'Photo upload',
  'outbox.decision': 'Decision: {status}',
  'outbox.state.waiting': 'Waiting to be sent',
  'outbox.state.sending': 'Sent, waiting for the answer',
  'outbox.state.held': 'Held: {detail}',
  'outbox.lastError': 'Last error: {detail}',
  'outbox.attempts': { one: '{count} attempt', other: '{count} attempts' },
  'outbox.madeAt': 'made {time}',
  'outbox.rejected': 'Refused by the server',
  'outbox.rejectedLead': 'These changes were refused for good and are kept here so nothing disappears without a trace.',

  'conflicts.title': 'Conflicts',
  'conflicts.lead': 'The same field was changed in two places. The report kept the server’s value; choose which one stays, or type a new one.',
  'conflicts.none': 'No conflicts. Nothing needs your decision.',
  'conflicts.field': '{field} of the report of {site} · {date}',
  'conflicts.locked': 'changed after the report was submitted or approved',
  'conflicts.deleted': 'changed after the report was deleted',
  'conflicts.server': 'On the server',
  'conflicts.device': 'From a device',
  'conflicts.by': '{name}, {time}',
  'conflicts.keepServer': 'Keep the server’s',
  'conflicts.takeDevice': 'Take the device’s',
  'conflicts.newValue': 'Or type a new value',
  'conflicts.useNew': 'Use this value',
  'conflicts.empty': '(empty)',
  'conflicts.online': 'Resolving a conflict needs the network.',
  'conflicts.failed': 'Could not resolve: {detail}',
  'field.weather.conditions': 'Weather conditions',
  'field.weather.temperatureCelsius': 'Temperature (°C)',
  'field.crew': 'Crew',
  'field.workPerformed': 'Work performed',
  'field.delays': 'Delays',
  'field.safetyIncidents': 'Safety incidents',
  'field.materials': 'Materials and equipment',
  'field.notes': 'Notes',
  'field.status': 'Status',
  'field._record': 'The whole report',

  'dashboard.title': 'Dashboard',
  'dashboard.previous': 'Previous month',
  'dashboard.next': 'Next month',
  'dashboard.grid': 'Report status by site and day',
  'dashboard.site': 'Site',
  'dashboard.cell': '{site}, day {day}: {status}',
  'dashboard.status.MISSING': 'Missing',
  'dashboard.status.DRAFT': 'Draft',
  'dashboard.status.SUBMITTED': 'Submitted',
  'dashboard.status.RETURNED': 'Returned',
  'dashboard.status.APPROVED': 'Approved',
  'dashboard.byTrade': 'Hours and headcount by trade in {month}',
  'dashboard.hours': 'Hours',
  'dashboard.headcount': 'Headcount (person-days)',
  'dashboard.noCrew': 'No crew reported in this month.',

  'help.title': 'How Fieldbook works',
  'help.offline': 'Fieldbook works without signal. Everything you enter is kept on this device at once and goes to the server by itself when there is a connection. The bar under the menu says whether you are online, how many changes wait on this device, and when the last sync succeeded. The Outbox lists what waits; “Sync now” tries at once.',
  'help.signOut': 'Signing out removes Fieldbook’s data from this device, so it waits until nothing is left to sync.',
  'help.WORKER.1': 'Tap “Today’s report” on your site. The date is the site’s today; the crew starts as a copy of the last report.',
  'help.WORKER.2': 'Fill in what you can: weather, crew (use − and + for the headcount), work performed, delays, safety incidents, materials, notes. There is no save button: “Saved on this device” shows as you type.',
  'help.WORKER.3': 'Add photos with “Take or add photos”. Each photo shows whether it is still on this device, uploading, or on the server.',
  'help.WORKER.4': 'Tap “Submit report” when the day is done, with or without signal. If your manager returns it, the comment shows at the top: fix the report and submit again.',
  'help.MANAGER.1': 'The review queue lists the submitted reports of your sites, oldest first. Open one to approve it, or return it with a comment saying what to fix.',
  'help.MANAGER.2': 'The dashboard shows your sites by days of the month; a missing report stands out in red. A click opens the report.',
  'help.MANAGER.3': 'Conflicts appear when the same field was changed in two places. Compare both values and choose which one stays.',
  'help.EXECUTIVE.1': 'The dashboard shows every site by days of the month, with hours and headcount by trade.',
  'help.EXECUTIVE.2': 'Open a site’s past reports to read any report.',
  'guide.title': 'New to Fieldbook?',
  'guide.lead': 'A one-minute guide shows how to file and follow reports.',
  'guide.open': 'Read the guide',
  'guide.dismiss': 'Not now',
  'nav.help': 'Help',

  'storage.title': 'Storage on this device',
  'storage.used': 'Fieldbook uses {size} MB on this device.',
  'storage.persisted': 'The browser keeps this data even when space runs low.',
  'storage.notPersisted': 'The browser did not promise to keep this data when space runs low. Sync often, and install the app (Add to Home Screen) so that it may.',

  'error.offline': 'No connection to the server.',
  'error.server': 'The server answered {status}.',
  'error.busy': 'The server is busy; trying again later.',
};

const catalogues = { en };
const catalogue = catalogues[(navigator.language || 'en').slice(0, 2)] || en;
const plurals = new Intl.PluralRules(navigator.language || 'en');

/** The text for {@code key} with its placeholders filled in; a count picks the plural form. */
export function t(key, params = {}) {
  let text = catalogue[key] ?? en[key];
  if (text === undefined) {
    return key;
  }
  if (typeof text === 'object') {
    text = text[plurals.select(params.count ?? 0)] ?? text.other;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/** A date (YYYY-MM-DD, a day in the site's calendar) in the browser's locale. */
export function formatDay(isoDate) {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Intl.DateTimeFormat(navigator.language || 'en', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, month - 1, day)));
}

/** A moment as a time of day in the browser's locale (and its date when not today). */
export function formatMoment(iso) {
  if (!iso) {
    return '';
  }
  const moment = new Date(iso);
  const today = new Date().toDateString() === moment.toDateString();
  return new Intl.DateTimeFormat(navigator.language || 'en', today
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(moment);
}
