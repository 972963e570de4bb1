import { VerificationPage } from "@/components/auth/self-service-pages";

export const metadata = { title: "Verify your email" };

export default VerificationPage;
