import Link from "next/link";
import { UploadForm } from "@/components/upload/upload-form";
import { verifySession } from "@/lib/auth/verify-session";

export const metadata = { title: "Upload" };

export default async function UploadPage() {
  await verifySession();
  return (
    <>
      <h1>Upload</h1>
      <p>
        Long uploads keep you signed in while they run. Files are counted and discarded, never stored.{" "}
        <Link href="/dashboard">Back to the dashboard</Link>
      </p>
      <UploadForm />
    </>
  );
}
