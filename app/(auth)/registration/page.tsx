import { RegistrationPage } from "@/components/auth/self-service-pages";

export const metadata = { title: "Create an account" };

export default RegistrationPage;
