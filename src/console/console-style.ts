/** The console's stylesheet: one column a laptop shows whole, large status words, no web fonts. */
export const CONSOLE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f3f5f8}
.top{background:#1d2330;color:#fff;padding:.6rem 1.5rem}.top h1{font-size:1.1rem;margin:0}
main{max-width:40rem;margin:1.5rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
.card h2{margin:0 0 .25rem;font-size:1.3rem}.card h3{margin:0 0 .5rem;font-size:1.1rem}
.idle{color:#5a6475;font-size:1.2rem;text-align:center;padding:2rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
input{font:inherit;padding:.45rem .6rem;border:1px solid #b8c0cc;border-radius:6px;width:100%}
.money{display:flex;align-items:center;gap:.4rem}.money input{flex:1}.symbol{font-weight:600;min-width:1.5rem}
button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid #2450c9;background:#2f5fe0;color:#fff;cursor:pointer;margin-top:.8rem}
button.secondary{background:#fff;color:#2450c9}button.link{background:none;border:0;color:#2450c9;padding:0 .5rem;margin:0}
button.icon{background:none;border:0;color:#5a6475;font-size:1.2rem;margin:0;padding:0 .3rem}
#pay-form header{display:flex;justify-content:space-between;align-items:center}
.field-error{display:block;color:#b3261e;font-size:.9rem;min-height:1.1em}
.muted{color:#5a6475}.who{margin:0 0 .5rem}
.badge{background:#fff4d6;color:#7a5300;border-radius:4px;padding:.1rem .4rem;font-size:.85rem}
details summary{cursor:pointer;color:#2450c9;margin-top:.5rem}
#steps{list-style:none;padding:0;margin:.5rem 0}
#steps li{display:flex;justify-content:space-between;padding:.45rem .2rem;border-bottom:1px solid #eef0f4;font-size:1.1rem}
#steps .status{font-weight:600;color:#5a6475}
#steps li[data-status=entering] .status{color:#2450c9}
#steps li[data-status=complete] .status{color:#1b7f3b}
#steps li[data-status=stopped] .status{color:#b3261e}
#steps li[data-status=failed] .status{color:#b3261e}
#assist:not([hidden]){display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}#assist button{margin-top:0}
button:disabled{opacity:.45;cursor:default}#assist-charge{background:#1b7f3b;border-color:#16692f}
#assist-note,#assist-error{flex-basis:100%;margin:.2rem 0}
#outcome{font-size:1.15rem;font-weight:600;padding:.6rem .8rem;border-radius:6px;margin-top:.6rem}
#outcome.ok{background:#e5f6ea;color:#14632e}#outcome.failed{background:#fde8e6;color:#8c1d16}
#record{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.8rem 0 0}
#record dt{color:#5a6475}#record dd{margin:0;font-weight:600}
`;
