// Registers the service worker once the page has loaded, so it never competes with the first render.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js').catch(function (e) { console.warn('service worker', e); });
  });
}
