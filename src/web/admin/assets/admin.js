// Every signed-in admin page. On a narrow screen the newsroom's navigation is one row that scrolls
// sideways: the page's own item is brought into view (it may be the ninth of fourteen), and the row says
// on which sides more items wait, for the stylesheet to fade that edge.
const nav = document.querySelector('.admin-nav');
if (nav) {
  const current = nav.querySelector('[aria-current="page"]');
  const mark = () => {
    const more = [];
    if (nav.scrollLeft > 1) more.push('start');
    if (nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1) more.push('end');
    nav.dataset.more = more.join(' ');
  };
  if (current && nav.scrollWidth > nav.clientWidth) {
    // Centred where it can be; scrollLeft stays within the row by itself.
    nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }
  mark();
  nav.addEventListener('scroll', mark, { passive: true });
  addEventListener('resize', mark);
}
