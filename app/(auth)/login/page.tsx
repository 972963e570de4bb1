import { LoginPage } from "@/components/auth/self-service-pages";

export const metadata = { title: "Sign in" };

export default LoginPage;
