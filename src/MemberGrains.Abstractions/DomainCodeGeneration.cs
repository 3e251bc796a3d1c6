// The grain takes the domain's commands (MemberGrains.Domain.Commands) as they are. The domain
// carries only the serialization attributes and no Orleans runtime, so their serializers and
// copiers are generated here, in the assembly every silo and client already loads.
[assembly: GenerateCodeForDeclaringAssembly(typeof(MemberGrains.Domain.AccrueCommand))]
