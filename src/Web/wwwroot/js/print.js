// The certificate page's "Print / Save as PDF" button: shown only where script runs (the page says how otherwise).
document.addEventListener('DOMContentLoaded', () => {
    const button = document.getElementById('print-certificate');
    if (!button) {
        return;
    }

    button.hidden = false;
    button.addEventListener('click', () => window.print());
});
