import { RecoveryPage } from "@/components/auth/self-service-pages";

export const metadata = { title: "Recover your account" };

export default RecoveryPage;
