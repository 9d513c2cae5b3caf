import Link from "next/link";
import type { ComponentProps } from "react";
import { cn } from "./cn";

type Variant = "primary" | "secondary" | "ghost";
const variants: Record<Variant, string> = {
  primary: "bg-accent text-accent-fg hover:opacity-90 border border-transparent",
  secondary: "bg-surface text-fg border border-border hover:bg-muted",
  ghost: "bg-transparent text-accent border border-transparent hover:bg-muted hover:underline",
};
const sizes = { sm: "h-8 px-2.5 text-sm", md: "h-9 px-3.5 text-sm" };

/** A navigation link that looks like a Button (it goes somewhere, so it stays a link for assistive tech). */
export function ButtonLink({ variant = "secondary", size = "md", className, ...props }: ComponentProps<typeof Link> & { variant?: Variant; size?: keyof typeof sizes }) {
  return (
    <Link
      className={cn("inline-flex items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap transition", variants[variant], sizes[size], className)}
      {...props}
    />
  );
}
