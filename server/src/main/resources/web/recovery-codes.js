// Copy and download for the recovery codes page. The codes are already on the page; this file
// only copies them to the clipboard or hands them to the browser as a text file made here (a
// Blob URL), so they are never sent anywhere or kept by the server. The buttons stay hidden
// without this script; the codes can still be selected and copied by hand.
(function () {
  'use strict';
  var list = document.getElementById('recovery-codes');
  var copy = document.getElementById('copy-codes');
  var download = document.getElementById('download-codes');
  var status = document.getElementById('codes-status');
  if (!list || !copy || !download) {
    return;
  }

  function text() {
    var codes = Array.prototype.map.call(list.querySelectorAll('code'), function (c) {
      return c.textContent;
    });
    return (list.getAttribute('data-heading') || 'Recovery codes') + '\n\n'
        + codes.join('\n') + '\n';
  }

  function say(message) {
    if (status) { status.textContent = message; }
  }

  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(text()).then(function () {
        say('Copied.');
      }, function () {
        say('Could not copy. Select the codes and copy them instead.');
      });
    });
  }

  if (window.Blob && window.URL && URL.createObjectURL) {
    download.hidden = false;
    download.addEventListener('click', function () {
      var url = URL.createObjectURL(new Blob([text()], { type: 'text/plain;charset=utf-8' }));
      var a = document.createElement('a');
      a.href = url;
      a.download = list.getAttribute('data-filename') || 'recovery-codes.txt';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 0);
      say('Downloaded.');
    });
  }
})();
