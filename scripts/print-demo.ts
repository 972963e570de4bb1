import { DEMO_ACCOUNTS } from "./demo-accounts";

const url = process.env.APP_URL ?? "http://localhost:3000";
console.log(`\n  App:  ${url}\n  Demo sign-ins:`);
for (const a of DEMO_ACCOUNTS) console.log(`    ${a.role.padEnd(5)}  ${a.email}  /  ${a.password}`);
console.log("");
